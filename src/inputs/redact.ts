import {isPlaceholder, isSecretKey} from '../model/secrets.js'
import type {LintTarget} from './targets.js'

/** GitLab token shapes (runner, registration, personal, deploy, trigger tokens) wherever they sit, even as a key. */
const TOKEN_SHAPE = /\b(?:glrt|glrtr|glpat|gldt|glptt|glcbt|glft|glimt|glagent|glsoat)-[\w-]{8,}|\bGR1348941[\w-]{8,}/g

/** Values shorter than this are left alone: `true` or `s3` under a credential key would blank unrelated words. */
const MIN_SECRET_LENGTH = 6

/** Every string held under a credential key anywhere in the targets' data, longest first. */
export function secretValues(targets: LintTarget[]): string[] {
  const found = new Set<string>()
  for (const target of targets) if (target.type === 'values') for (const value of target.sensitive ?? []) found.add(value)
  const stack: unknown[] = targets.flatMap((t) => (t.type === 'values' ? [t.data, t.user] : [t.data]))
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) stack.push(...value)
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (isSecretKey(key)) {
          // An unrendered placeholder (`${runner_token}`, `{{ .Values.token }}`) names where the secret comes from: rules quote it.
          if (typeof child === 'string' && child.length >= MIN_SECRET_LENGTH && !isPlaceholder(child) && !child.includes('{{'))
            found.add(child)
          else if (child !== null && typeof child === 'object') found.add(JSON.stringify(child))
        }
        stack.push(child)
      }
    }
  }
  return [...found].sort((a, b) => b.length - a.length)
}

/**
 * Last line of defence for output: a rule that quotes a value (a table where a quantity belongs, an unknown key)
 * can carry a credential nested in it. Any known secret value and anything shaped like a GitLab token is hidden.
 */
export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, '(hidden)')
    const escaped = JSON.stringify(secret).slice(1, -1)
    if (escaped !== secret && out.includes(escaped)) out = out.replaceAll(escaped, '(hidden)')
  }
  return out.replace(TOKEN_SHAPE, '(hidden)')
}
