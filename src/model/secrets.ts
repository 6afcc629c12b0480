import {isPlainObject} from './chart.js'
import {DEPLOY_SUBSTITUTION, isPlaceholderValue, isTemplatePlaceholder} from './placeholders.js'

const SECRET_KEYS =
  /^(token|runnerToken|runnerRegistrationToken|runner-token|runner-registration-token|bearer_token|AccessKey|SecretKey|SessionToken|PrivateKey|AccountKey|accesskey|secretkey|password|sentryDsn|sentry_dsn)$/i

/** Keys whose values are credentials: lint names them and never prints their values. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.test(key)
}

/** Deploy-time `${…}` placeholders (see placeholders.ts); kept under this name for the rules that import it here. */
export const PLACEHOLDER = DEPLOY_SUBSTITUTION

type DocumentPath = Array<string | number>

/**
 * Each string in a document that holds a deploy-time `${…}` placeholder, by path, with the first placeholder in it;
 * `skip` leaves out the subtree at a path (a part another target checks).
 */
export function unrenderedPlaceholders(
  document: unknown,
  skip: (path: DocumentPath) => boolean = () => false,
): Array<{path: DocumentPath; placeholder: string}> {
  const found: Array<{path: DocumentPath; placeholder: string}> = []
  const visit = (value: unknown, path: DocumentPath) => {
    if (typeof value === 'string') {
      const m = PLACEHOLDER.exec(value)
      if (m) found.push({path, placeholder: m[0]})
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]))
    else if (isPlainObject(value)) {
      for (const [key, v] of Object.entries(value)) if (!skip([...path, key])) visit(v, [...path, key])
    }
  }
  visit(document, [])
  return found
}

/** A value still to be filled in, of any shape placeholders.ts recognises: such a value is never a live secret. */
export function isPlaceholder(value: unknown): boolean {
  return isPlaceholderValue(value)
}

/**
 * A credential written out in the file: a non-empty string that no template, deploy-time placeholder or `$VARIABLE`
 * stands in for. Only such a value leaks the secret itself.
 */
export function isLiteralSecret(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') return false
  return !isPlaceholder(value) && !isTemplatePlaceholder(value) && !/^\$\w+$/.test(value.trim())
}

export type TokenKind = 'authentication' | 'registration' | 'unknown'

/** GitLab token prefixes: `glrt-` runner authentication tokens (15.10+), `GR1348941` registration tokens. */
export function tokenKind(value: string): TokenKind {
  if (/^glrt-/.test(value) || /^t\d_/.test(value)) return 'authentication'
  if (/^GR1348941/.test(value) || /^glrtr-/.test(value)) return 'registration'
  return 'unknown'
}
