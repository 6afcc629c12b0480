import {isTemplatePlaceholder} from './placeholders.js'
import {isPlaceholder} from './secrets.js'

/**
 * A setting's value as written, when it can be judged: a string that no template, deploy-time placeholder or
 * `$VARIABLE` stands in for (the runner or the deploy fills those in later).
 */
export function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && !isTemplatePlaceholder(value) && !isPlaceholder(value) && !value.includes('$')
}

/** Like isLiteral for regular expressions, which end in `$`: skipped only for template and deploy-time placeholders. */
export function isLiteralRegex(value: unknown): value is string {
  return typeof value === 'string' && !isTemplatePlaceholder(value) && !isPlaceholder(value)
}

/** A setting that takes one string or a list of them, as a list; anything else in it is ignored. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []
}

/** A TOML value where a string belongs may be a table; String() of a table can throw (a `toString` key). */
export function stringOrEmpty(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
