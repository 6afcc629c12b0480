/** Values that stand in for an unevaluated template expression look like `{ .Values.x }` after preparation. */
export function isTemplatePlaceholder(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || /^\{[\s\S]*\}$/.test(value.trim()))
}
