import {spawnSync} from 'node:child_process'
import {delimiter, isAbsolute, join} from 'node:path'

/*
 * Exec credential plugins (aws eks get-token, gke-gcloud-auth-plugin, kubelogin) run once per command, before any
 * API call, with a deadline and without a terminal: run once per request and in parallel, as the client library does,
 * they start six logins at a time, and an interactive one waits for ever on a stdin nobody types into.
 */

/** The `user.exec` block of a kubeconfig (client.authentication.k8s.io). */
export interface ExecPluginConfig {
  command: string
  args?: string[]
  env?: Array<{name: string; value: string}> | null
  apiVersion?: string
  installHint?: string
}

export interface ExecCredential {
  token?: string
  clientCertificateData?: string
  clientKeyData?: string
  expirationTimestamp?: string
}

export type CredentialFailureKind = 'plugin-missing' | 'plugin-failed' | 'plugin-timeout' | 'expired'

export class KubeCredentialError extends Error {
  constructor(
    readonly kind: CredentialFailureKind,
    message: string,
  ) {
    super(message)
    this.name = 'KubeCredentialError'
  }
}

export const CREDENTIAL_PLUGIN_TIMEOUT_MS = 30_000
const STDERR_LINES = 5

/** Bearer tokens, JWTs, long base64 runs and `key=value` secrets, as plugins print them in their errors. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted JWT]'],
  [/\b((?:access[_-]?)?token|secret|password|client[_-]?secret|refresh[_-]?token|key)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]'],
  [/[A-Za-z0-9+/_-]{40,}={0,2}/g, '[redacted]'],
]

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text)
}

function firstLines(text: string): string {
  const lines = redactSecrets(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
  return lines.slice(0, STDERR_LINES).join(' | ') + (lines.length > STDERR_LINES ? ` | (${lines.length - STDERR_LINES} more lines)` : '')
}

/** Runs the plugin once, stdin closed, and returns its credential or a failure that names what to do. */
export function runCredentialPlugin(
  exec: ExecPluginConfig,
  kubeconfigDir: string,
  env: NodeJS.ProcessEnv,
  options: {timeoutMs?: number; now?: Date} = {},
): ExecCredential {
  const command = String(exec.command)
  const timeoutMs = options.timeoutMs ?? CREDENTIAL_PLUGIN_TIMEOUT_MS
  const childEnv: NodeJS.ProcessEnv = {...env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value]))}
  // interactive: false tells plugins that can prompt (kubelogin device code) not to.
  childEnv.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    spec: {interactive: false},
  })
  const path = command.includes('/') && !isAbsolute(command) ? join(kubeconfigDir, command) : command
  const result = spawnSync(path, exec.args ?? [], {
    env: childEnv,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 4 * 1024 * 1024,
  })
  const error = result.error as (Error & {code?: string}) | undefined
  if (error?.code === 'ENOENT') {
    const searched = command.includes('/') ? path : `PATH=${(env.PATH ?? '').split(delimiter).filter(Boolean).join(delimiter) || '(empty)'}`
    throw new KubeCredentialError(
      'plugin-missing',
      `the kubeconfig's credential plugin "${command}" was not found ` +
        `(${searched})${exec.installHint ? `: ${exec.installHint.trim().split('\n')[0]}` : '; install it or put it on PATH'}`,
    )
  }
  if (error?.code === 'ETIMEDOUT' || (result.signal === 'SIGKILL' && result.status === null)) {
    throw new KubeCredentialError(
      'plugin-timeout',
      `the kubeconfig's credential plugin "${command}" did not answer within ${Math.round(timeoutMs / 1000)} ` +
        `s; it may be waiting for an interactive login: run "${[command, ...(exec.args ?? [])].join(' ')}" ` +
        `once in a terminal, then retry`,
    )
  }
  if (error)
    throw new KubeCredentialError(
      'plugin-failed',
      `the kubeconfig's credential plugin "${command}" could not run: ${redactSecrets(error.message)}`,
    )
  if (result.status !== 0) {
    const said = firstLines(result.stderr ?? '')
    throw new KubeCredentialError(
      'plugin-failed',
      `the kubeconfig's credential plugin "${command}" failed (exit ${result.status ?? result.signal})${said ? `: ${said}` : ''}`,
    )
  }
  let status: ExecCredential
  try {
    status = ((JSON.parse(result.stdout) as {status?: ExecCredential}).status ?? {}) as ExecCredential
  } catch {
    throw new KubeCredentialError(
      'plugin-failed',
      `the kubeconfig's credential plugin "${command}" did not print an ExecCredential (its output is not JSON)`,
    )
  }
  if (!status.token && !(status.clientCertificateData && status.clientKeyData)) {
    throw new KubeCredentialError(
      'plugin-failed',
      `the kubeconfig's credential plugin "${command}" returned neither a token nor a client certificate`,
    )
  }
  const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Number.NaN
  if (expires <= (options.now ?? new Date()).getTime()) {
    throw new KubeCredentialError(
      'expired',
      `the credentials from plugin "${command}" expired at ${status.expirationTimestamp}: log in ` +
        `again (for example "${command}" in a terminal), then retry`,
    )
  }
  return status
}
