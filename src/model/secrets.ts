const SECRET_KEYS = /^(token|runnerToken|runnerRegistrationToken|runner-token|runner-registration-token|bearer_token|AccessKey|SecretKey|SessionToken|PrivateKey|AccountKey|accesskey|secretkey|password|sentryDsn|sentry_dsn)$/i

/** Keys whose values are credentials: lint names them and never prints their values. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.test(key)
}

/** Unrendered placeholders from Terraform templatefile, envsubst or Flux post-build substitution. */
// `${CI_…}` are job variables the runner expands itself, not deploy-time placeholders.
export const PLACEHOLDER = /\$\{\s*(?!CI_)[A-Za-z_][\w.-]*(?::?[-=?+][^}]*)?\s*\}|\$\{\{[^}]*\}\}/

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value)
}

export type TokenKind = 'authentication' | 'registration' | 'unknown'

/** GitLab token prefixes: `glrt-` runner authentication tokens (15.10+), `GR1348941` registration tokens. */
export function tokenKind(value: string): TokenKind {
  if (/^glrt-/.test(value) || /^t\d_/.test(value)) return 'authentication'
  if (/^GR1348941/.test(value) || /^glrtr-/.test(value)) return 'registration'
  return 'unknown'
}
