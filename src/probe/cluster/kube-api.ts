import {dirname} from 'node:path'
import {PassThrough, Writable} from 'node:stream'
import {
  ApiException,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type CoreV1Event,
  type RequestContext,
  type ResponseContext,
  type V1EphemeralContainer,
  type V1Node,
  type V1Pod,
  type V1Status,
} from '@kubernetes/client-node'
import {type ExecPluginConfig, KubeCredentialError, runCredentialPlugin} from '../../kube/exec-credential.js'
import {checkServerScheme, PlainHttpRefusedError} from '../../kube/plain-http.js'
import {apiProxyFor} from '../../kube/proxy.js'

/** One permission the probe needs, in the terms of a SelfSubjectAccessReview. */
export interface AccessRequest {
  verb: string
  resource: string
  subresource?: string
  group?: string
  /** Omitted for cluster-scoped resources such as nodes. */
  namespace?: string
  /** One object, as in `impersonate serviceaccounts NAME`. */
  name?: string
}

export interface AccessAnswer {
  allowed: boolean
  reason?: string
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** Null when the API server did not report an exit code (for example the connection dropped). */
  exitCode: number | null
  status?: V1Status
  /** The exec subprotocol the server chose (v5.channel.k8s.io, v4.channel.k8s.io), for diagnosis. */
  protocol?: string
}

/** The few Kubernetes calls the probe makes; the rest of the probe depends only on this. */
export interface KubeApi {
  /** Namespace of the current kubeconfig context, `default` when the context names none. */
  readonly defaultNamespace: string
  /** Name of the cluster the current context points at, for messages. */
  readonly clusterName: string
  /** The API is reached over plain http on loopback (`kubectl proxy`), which blocks exec by default. */
  readonly plainHttpLoopback?: boolean
  /** Who the calls act as, when not the kubeconfig user (`--as`, or the runner's ServiceAccount). */
  readonly identity?: Identity
  createPod(namespace: string, pod: V1Pod, options?: {dryRun?: boolean}): Promise<V1Pod>
  readPod(namespace: string, name: string): Promise<V1Pod>
  /** Resolves to `absent` when the pod was already gone, which counts as success for cleanup. */
  deletePod(namespace: string, name: string): Promise<'deleted' | 'absent'>
  listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]>
  listEvents(namespace: string, involvedObjectName: string): Promise<CoreV1Event[]>
  listNodes(): Promise<V1Node[]>
  selfSubjectAccessReview(request: AccessRequest): Promise<AccessAnswer>
  /** The user the API server sees (SelfSubjectReview); undefined where the server cannot say. */
  whoAmI?(): Promise<string | undefined>
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    options?: {stdin?: string | Buffer; timeoutMs?: number},
  ): Promise<ExecResult>
  patchEphemeralContainers(namespace: string, pod: string, containers: V1EphemeralContainer[]): Promise<V1Pod>
  readPodLog(namespace: string, pod: string, container: string, options?: {tailLines?: number}): Promise<string>
}

export type KubeErrorKind =
  'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'invalid' | 'server' | 'unreachable' | 'timeout' | 'other'

/** A failed API call, reduced to what the probe needs to explain it. */
export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly httpStatus?: number,
    readonly reason?: string,
  ) {
    super(message)
    this.name = 'KubeError'
  }

  /** True when repeating the same request may succeed. */
  get transient(): boolean {
    return this.kind === 'server' || this.kind === 'unreachable' || this.kind === 'timeout'
  }
}

/** The kubeconfig could not be used at all; the probe cannot start. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError'
}

const TRANSIENT_HTTP = new Set([429, 500, 502, 503, 504])

function parseStatusBody(body: unknown): {message?: string; reason?: string} {
  if (body && typeof body === 'object') return body as {message?: string; reason?: string}
  if (typeof body !== 'string') return {}
  try {
    const parsed = JSON.parse(body) as {message?: string; reason?: string}
    return parsed && typeof parsed === 'object' ? parsed : {}
  } catch {
    return {message: body.trim().slice(0, 300) || undefined}
  }
}

export function toKubeError(error: unknown): KubeError {
  if (error instanceof KubeError) return error
  if (error instanceof ApiException) {
    const code = error.code
    const status = parseStatusBody(error.body)
    const message = status.message ?? `The API server answered HTTP ${code}.`
    const kind: KubeErrorKind =
      code === 401
        ? 'unauthorized'
        : code === 403
          ? 'forbidden'
          : code === 404
            ? 'not-found'
            : code === 409
              ? 'conflict'
              : code === 422 || code === 400
                ? 'invalid'
                : TRANSIENT_HTTP.has(code)
                  ? 'server'
                  : 'other'
    return new KubeError(kind, code === 401 ? 'The API server rejected the credentials (HTTP 401).' : message, code, status.reason)
  }
  const err = error as {name?: string; message?: string; code?: string; cause?: {code?: string; message?: string}}
  if (err?.name === 'TimeoutError') return new KubeError('timeout', 'The API server did not answer in time.')
  if (err?.name === 'AbortError') return new KubeError('timeout', 'The request was aborted.')
  const netCode = err?.cause?.code ?? err?.code
  if (err?.message === 'fetch failed' || (netCode && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(netCode))) {
    return new KubeError('unreachable', `The API server is unreachable (${netCode ?? err?.cause?.message ?? 'connection failed'}).`)
  }
  if (err?.message?.includes('HTTP protocol is not allowed')) {
    return new KubeError('unreachable', 'The kubeconfig points at plain HTTP without insecure-skip-tls-verify.')
  }
  return new KubeError('other', err?.message ?? String(error))
}

export interface RetryPolicy {
  attempts: number
  baseDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {attempts: 4, baseDelayMs: 250}

/** Repeats a call while it fails in a way that may clear up (5xx, 429, dropped connections). */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  let last: KubeError | undefined
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    try {
      return await call()
    } catch (error) {
      last = toKubeError(error)
      if (!last.transient || attempt === policy.attempts - 1) throw last
      await new Promise((resolve) => setTimeout(resolve, policy.baseDelayMs * 2 ** attempt))
    }
  }
  throw last ?? new KubeError('other', 'The call was not attempted.')
}

export interface LoadKubeConfigOptions {
  kubeconfig?: string
  context?: string
}

/** The client library's fallback when nothing is configured; calls to it can only fail. */
const UNCONFIGURED_SERVER = 'http://localhost:8080'

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig()
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig)
    else kc.loadFromDefault()
  } catch (error) {
    throw new KubeConfigError(`The kubeconfig could not be read: ${(error as Error).message}`)
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      throw new KubeConfigError(`The kubeconfig has no context named "${options.context}".`)
    }
    kc.setCurrentContext(options.context)
  }
  const cluster = kc.getCurrentCluster()
  if (!cluster || cluster.server === UNCONFIGURED_SERVER) {
    throw new KubeConfigError(
      'No kubeconfig was found and this is not running inside a cluster: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config.',
    )
  }
  return kc
}

export interface Identity {
  /** `--as`: the user (or system:serviceaccount:NS:NAME) every call impersonates. */
  as?: string
  /** `--as-group`: one group to impersonate with it (the client sends headers as single values). */
  asGroup?: string
}

export interface PreparedKubeConfig {
  kc: KubeConfig
  /** The proxy API calls go through (proxy-url, or HTTPS_PROXY unless NO_PROXY matches). */
  proxy?: string
  plainHttpLoopback: boolean
  identity: Identity
}

/** KubeConfig that also impersonates a group: the client library only knows the user part (`as`). */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(private readonly group: string) {
    super()
    const self = this as unknown as {applyOptions: (opts: {headers?: Record<string, string>}) => Promise<void>}
    const applyOptions = self.applyOptions.bind(this)
    self.applyOptions = async (opts) => {
      await applyOptions(opts)
      opts.headers = {...opts.headers, 'Impersonate-Group': this.group}
    }
  }
}

/**
 * Loads the kubeconfig and settles how to reach the cluster before any call, the way kubectl does (src/kube): plain
 * http only on loopback, the proxy from proxy-url or the environment, an exec credential plugin run once (with a
 * deadline, without stdin) instead of once per parallel request, and the identity to act as.
 */
export function prepareKubeConfig(
  options: LoadKubeConfigOptions & {identity?: Identity},
  env: NodeJS.ProcessEnv = process.env,
): PreparedKubeConfig {
  const loaded = loadKubeConfig(options)
  const identity = options.identity ?? {}
  const cluster = loaded.getCurrentCluster()!
  const user = loaded.getCurrentUser()
  let plainHttpLoopback: boolean
  try {
    plainHttpLoopback = checkServerScheme(new URL(cluster.server), {
      name: cluster.name,
      insecureSkipTlsVerify: cluster.skipTLSVerify,
      file: options.kubeconfig,
    }).plainHttpLoopback
  } catch (error) {
    if (error instanceof PlainHttpRefusedError) throw new KubeConfigError(error.message)
    throw error
  }
  const proxy = plainHttpLoopback ? undefined : apiProxyFor(new URL(cluster.server), cluster.proxyUrl, env)
  let userOverride: Record<string, unknown> = {}
  if (user?.exec) {
    const dir = options.kubeconfig ? dirname(options.kubeconfig) : process.cwd()
    let credential
    try {
      credential = runCredentialPlugin(user.exec as ExecPluginConfig, dir, env)
    } catch (error) {
      if (error instanceof KubeCredentialError) throw new KubeConfigError(error.message.replace(/^the/, 'The'))
      throw error
    }
    userOverride = {
      exec: undefined,
      token: credential.token,
      ...(credential.clientCertificateData
        ? {certData: Buffer.from(credential.clientCertificateData).toString('base64'), certFile: undefined}
        : {}),
      ...(credential.clientKeyData ? {keyData: Buffer.from(credential.clientKeyData).toString('base64'), keyFile: undefined} : {}),
    }
  }
  if (identity.as) userOverride.impersonateUser = identity.as
  const kc = identity.asGroup ? new ImpersonatingKubeConfig(identity.asGroup) : new KubeConfig()
  kc.loadFromOptions({
    // The client library refuses http without skipTLSVerify; on loopback there is no TLS to verify.
    clusters: loaded.clusters.map((c) =>
      c.name === cluster.name ? {...c, skipTLSVerify: c.skipTLSVerify || plainHttpLoopback, proxyUrl: proxy} : c,
    ),
    users: loaded.users.map((u) => (user && u.name === user.name ? {...u, ...userOverride} : u)),
    contexts: loaded.contexts,
    currentContext: loaded.getCurrentContext(),
  })
  return {kc, proxy, plainHttpLoopback, identity}
}

/** The same connection acting as someone else; the credentials already obtained are reused, no plugin runs again. */
export function withIdentity(prepared: PreparedKubeConfig, identity: Identity): PreparedKubeConfig {
  const user = prepared.kc.getCurrentUser()
  const kc = identity.asGroup ? new ImpersonatingKubeConfig(identity.asGroup) : new KubeConfig()
  kc.loadFromOptions({
    clusters: prepared.kc.clusters,
    users: prepared.kc.users.map((u) => (user && u.name === user.name ? {...u, impersonateUser: identity.as} : u)),
    contexts: prepared.kc.contexts,
    currentContext: prepared.kc.getCurrentContext(),
  })
  return {...prepared, kc, identity}
}

function timeoutOptions(ms: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(ms))
          return new Observable(Promise.resolve(ctx))
        },
        post: (response: ResponseContext) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  }
}

function collector(): {stream: Writable; text: () => string} {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk))
      callback()
    },
  })
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')}
}

/** Reads the exit code the way the API server reports it for remote commands. */
export function exitCodeFromStatus(status: V1Status | undefined): number | null {
  if (!status) return null
  if (status.status === 'Success') return 0
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode')
  const code = cause?.message === undefined ? Number.NaN : Number(cause.message)
  return Number.isInteger(code) ? code : null
}

export interface ClientKubeApiOptions {
  /** Per-request deadline; there is none in the client library. */
  requestTimeoutMs?: number
  retry?: RetryPolicy
}

/** `KubeApi` over `@kubernetes/client-node` 2.x. */
export class ClientKubeApi implements KubeApi {
  private readonly core: CoreV1Api
  private readonly authz: AuthorizationV1Api
  private readonly options: ConfigurationOptions
  private readonly retry: RetryPolicy
  private readonly kc: KubeConfig
  readonly defaultNamespace: string
  readonly clusterName: string

  readonly plainHttpLoopback: boolean
  readonly identity: Identity
  readonly proxy?: string

  constructor(kubeConfig: KubeConfig | PreparedKubeConfig, options: ClientKubeApiOptions = {}) {
    const prepared = kubeConfig instanceof KubeConfig ? undefined : kubeConfig
    const kc = prepared?.kc ?? (kubeConfig as KubeConfig)
    this.kc = kc
    this.plainHttpLoopback = prepared?.plainHttpLoopback ?? false
    this.identity = prepared?.identity ?? {}
    this.proxy = prepared?.proxy
    this.core = kc.makeApiClient(CoreV1Api)
    this.authz = kc.makeApiClient(AuthorizationV1Api)
    this.options = timeoutOptions(options.requestTimeoutMs ?? 15_000)
    this.retry = options.retry ?? DEFAULT_RETRY
    this.defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default'
    this.clusterName = kc.getCurrentCluster()?.name ?? 'unknown'
  }

  async createPod(namespace: string, pod: V1Pod, options: {dryRun?: boolean} = {}): Promise<V1Pod> {
    const name = pod.metadata?.name
    let attempt = 0
    return withRetry(async () => {
      attempt++
      try {
        return await this.core.createNamespacedPod({namespace, body: pod, dryRun: options.dryRun ? 'All' : undefined}, this.options)
      } catch (error) {
        const failure = toKubeError(error)
        // A create whose answer was lost may still have landed; the fixed name makes that visible as 409.
        if (failure.kind === 'conflict' && attempt > 1 && name && !options.dryRun) {
          return this.readPod(namespace, name)
        }
        throw failure
      }
    }, this.retry)
  }

  readPod(namespace: string, name: string): Promise<V1Pod> {
    return withRetry(() => this.core.readNamespacedPod({namespace, name}, this.options), this.retry)
  }

  async deletePod(namespace: string, name: string): Promise<'deleted' | 'absent'> {
    try {
      await withRetry(
        () => this.core.deleteNamespacedPod({namespace, name, gracePeriodSeconds: 0, propagationPolicy: 'Background'}, this.options),
        this.retry,
      )
      return 'deleted'
    } catch (error) {
      if (toKubeError(error).kind === 'not-found') return 'absent'
      throw toKubeError(error)
    }
  }

  async listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]> {
    const list = await withRetry(() => this.core.listNamespacedPod({namespace, labelSelector}, this.options), this.retry)
    return list.items
  }

  async listEvents(namespace: string, involvedObjectName: string): Promise<CoreV1Event[]> {
    const list = await withRetry(
      () => this.core.listNamespacedEvent({namespace, fieldSelector: `involvedObject.name=${involvedObjectName}`}, this.options),
      this.retry,
    )
    return list.items
  }

  async listNodes(): Promise<V1Node[]> {
    const list = await withRetry(() => this.core.listNode({}, this.options), this.retry)
    return list.items
  }

  async selfSubjectAccessReview(request: AccessRequest): Promise<AccessAnswer> {
    const review = await withRetry(
      () =>
        this.authz.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  namespace: request.namespace,
                  verb: request.verb,
                  resource: request.resource,
                  subresource: request.subresource,
                  name: request.name,
                  group: request.group ?? '',
                },
              },
            },
          },
          this.options,
        ),
      this.retry,
    )
    return {allowed: review.status?.allowed === true, reason: review.status?.reason}
  }

  async whoAmI(): Promise<string | undefined> {
    try {
      const review = await this.kc
        .makeApiClient(AuthenticationV1Api)
        .createSelfSubjectReview({body: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'}}, this.options)
      return review.status?.userInfo?.username
    } catch {
      return undefined
    }
  }

  async exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    options: {stdin?: string | Buffer; timeoutMs?: number} = {},
  ): Promise<ExecResult> {
    const stdout = collector()
    const stderr = collector()
    // stdin is written and left open: ending it makes the client close the whole stream on a v4-only API server
    // (no half-close before v5), which loses the output and the exit status. Callers send a length with the data.
    let stdin: PassThrough | null = null
    if (options.stdin !== undefined) {
      stdin = new PassThrough()
      stdin.write(Buffer.from(options.stdin))
    }
    let status: V1Status | undefined
    let socket: {close: () => void; protocol?: string; on: (event: string, listener: (...args: unknown[]) => void) => void}
    try {
      socket = (await new Exec(this.kc).exec(
        namespace,
        pod,
        container,
        command,
        stdout.stream,
        stderr.stream,
        // The client reads stdin only after the socket opens; the PassThrough keeps the data until then.
        stdin,
        false,
        (s) => {
          status = s
        },
      )) as unknown as typeof socket
    } catch (error) {
      throw toExecError(error)
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.close()
        reject(new KubeError('timeout', `The command in container "${container}" did not finish in time.`))
      }, options.timeoutMs ?? 120_000)
      socket.on('close', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.on('error', (error) => {
        clearTimeout(timer)
        reject(toKubeError(error))
      })
    })
    return {stdout: stdout.text(), stderr: stderr.text(), exitCode: exitCodeFromStatus(status), status, protocol: socket.protocol}
  }

  async patchEphemeralContainers(namespace: string, pod: string, containers: V1EphemeralContainer[]): Promise<V1Pod> {
    const options = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, this.options)
    return withRetry(
      () =>
        this.core.patchNamespacedPodEphemeralcontainers({namespace, name: pod, body: {spec: {ephemeralContainers: containers}}}, options),
      this.retry,
    )
  }

  readPodLog(namespace: string, pod: string, container: string, options: {tailLines?: number} = {}): Promise<string> {
    return withRetry(
      () => this.core.readNamespacedPodLog({namespace, name: pod, container, tailLines: options.tailLines}, this.options),
      this.retry,
    )
  }
}

/** The WebSocket upgrade fails with a bare "Unexpected server response: 403"; keep the status code. */
function toExecError(error: unknown): KubeError {
  const message = (error as Error)?.message ?? String(error)
  const match = /Unexpected server response: (\d{3})/.exec(message)
  if (match) {
    const code = Number(match[1])
    const kind: KubeErrorKind =
      code === 403
        ? 'forbidden'
        : code === 404
          ? 'not-found'
          : code === 401
            ? 'unauthorized'
            : TRANSIENT_HTTP.has(code)
              ? 'server'
              : 'other'
    return new KubeError(kind, `The exec request was refused with HTTP ${code}.`, code)
  }
  return toKubeError(error)
}
