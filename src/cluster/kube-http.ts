import {Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {createRequire} from 'node:module'

import {type Connection, KubeconfigError, readKubeconfig} from '../kube/kubeconfig.js'

/*
 * The one door from `lint --cluster` to the API server. It can only GET, and POST the two kinds of access review,
 * which the API server answers without storing anything: nothing else can be sent, whatever the callers do. Calls
 * are counted, each has a deadline, and the whole reading has a budget of calls and of time.
 */

export interface KubeTarget {
  kubeconfig?: string
  context?: string
}

export type KubeFailureKind = 'forbidden' | 'not-found' | 'unauthorized' | 'unreachable' | 'timeout' | 'budget' | 'other'

export class KubeReadError extends Error {
  constructor(
    readonly kind: KubeFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'KubeReadError'
  }
}

/** The cluster could not be used at all (no kubeconfig, unreachable, credentials rejected): lint exits 2. */
export class ClusterUnavailableError extends Error {
  override name = 'ClusterUnavailableError'
}

export interface ReadBudget {
  maxCalls: number
  requestTimeoutMs: number
  totalTimeMs: number
}

export const DEFAULT_BUDGET: ReadBudget = {maxCalls: 250, requestTimeoutMs: 10_000, totalTimeMs: 45_000}

/** Review kinds the reader may POST: they ask the authorizer a question and persist nothing. */
const REVIEW_PATH = /^\/apis\/authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|subjectaccessreviews)$/

/** Asks for a Secret's (or any object's) metadata only: the API server then leaves `data` out of the answer. */
export const METADATA_ONLY =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'

interface RequestOptions {
  headers: Record<string, string>
  agent: HttpAgent
}

/**
 * The Kubernetes client library, an optional dependency used here only to read kubeconfigs and their credentials.
 * The name is a variable so that bundlers leave the import to run time: lint without --cluster never loads it.
 */
async function loadClientLibrary(): Promise<typeof import('@kubernetes/client-node')> {
  const name = '@kubernetes/client-node'
  try {
    // require, not import(): the fast start-up path runs lint as a cached script, where import() has no loader.
    return createRequire(import.meta.url)(name) as typeof import('@kubernetes/client-node')
  } catch (error) {
    throw new ClusterUnavailableError(
      `lint --cluster needs the optional dependency ${name}, which could not be ` +
        `loaded (${(error as Error).message.split('\n')[0]}): npm install ${name}`,
    )
  }
}

/** A kubeconfig with an auth-provider or a socks proxy, through the client library (which also refreshes such tokens). */
async function connectionFromClientLibrary(target: KubeTarget): Promise<Connection> {
  const {KubeConfig} = await loadClientLibrary()
  const kc = new KubeConfig()
  try {
    if (target.kubeconfig) kc.loadFromFile(target.kubeconfig)
    else kc.loadFromDefault()
  } catch (error) {
    throw new ClusterUnavailableError(`the kubeconfig could not be read: ${(error as Error).message.split('\n')[0]}`)
  }
  if (target.context) kc.setCurrentContext(target.context)
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new ClusterUnavailableError('the kubeconfig names no cluster for its current context')
  const options: {headers?: Record<string, string>; agent?: HttpAgent; auth?: string} = {}
  try {
    await kc.applyToHTTPSOptions(options as never)
  } catch (error) {
    throw new ClusterUnavailableError(`the kubeconfig's credentials could not be used: ${(error as Error).message.split('\n')[0]}`)
  }
  const headers = {...options.headers}
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`
  const contextName = kc.getCurrentContext()
  return {
    server: new URL(cluster.server),
    contextName,
    namespace: kc.getContextObject(contextName)?.namespace ?? 'default',
    headers,
    agent: options.agent ?? new HttpAgent(),
  }
}

export class KubeReader {
  calls = 0
  private readonly started = Date.now()

  private constructor(
    readonly server: URL,
    readonly contextName: string,
    readonly contextNamespace: string,
    private readonly base: RequestOptions,
    private readonly budget: ReadBudget,
  ) {}

  /**
   * Reads the kubeconfig itself for the usual kinds of credentials; only what it does not cover (auth-provider, a
   * socks proxy) loads the Kubernetes client library, so lint without --cluster never does and --cluster rarely.
   */
  static async open(target: KubeTarget, budget: ReadBudget = DEFAULT_BUDGET): Promise<KubeReader> {
    let connection: Connection | undefined
    try {
      connection = readKubeconfig(target)
    } catch (error) {
      if (error instanceof KubeconfigError) throw new ClusterUnavailableError(error.message)
      throw new ClusterUnavailableError(`the kubeconfig could not be used: ${(error as Error).message.split('\n')[0]}`)
    }
    connection ??= await connectionFromClientLibrary(target)
    return new KubeReader(
      connection.server,
      connection.contextName,
      connection.namespace,
      {headers: connection.headers, agent: connection.agent},
      budget,
    )
  }

  get elapsedMs(): number {
    return Date.now() - this.started
  }

  /** GETs an API path (query included) and parses the JSON answer. */
  get<T>(path: string, accept = 'application/json'): Promise<T> {
    return this.send<T>('GET', path, undefined, {Accept: accept})
  }

  /** POSTs an access review; any other path is refused before anything is sent. */
  review<T>(path: string, body: unknown, impersonate?: {user: string; groups: string[]}): Promise<T> {
    if (!REVIEW_PATH.test(path)) throw new Error(`lint --cluster only reads: refusing to POST to ${path}`)
    const headers: Record<string, string> = {Accept: 'application/json', 'Content-Type': 'application/json'}
    if (impersonate) headers['Impersonate-User'] = impersonate.user
    return this.send<T>('POST', path, JSON.stringify(body), headers, impersonate?.groups)
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
    impersonateGroups: string[] = [],
  ): Promise<T> {
    if (this.calls >= this.budget.maxCalls) throw new KubeReadError('budget', `the budget of ${this.budget.maxCalls} API calls is spent`)
    const left = this.budget.totalTimeMs - this.elapsedMs
    if (left <= 0) throw new KubeReadError('budget', `the time budget of ${this.budget.totalTimeMs / 1000} s is spent`)
    this.calls++
    const url = new URL(path, this.server)
    url.pathname = `${this.server.pathname.replace(/\/$/, '')}${path.split('?')[0]}`
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest
    const timeout = Math.min(this.budget.requestTimeoutMs, left)
    return new Promise<T>((resolve, reject) => {
      const outgoing: Record<string, string | string[]> = {...this.base.headers, ...headers}
      if (impersonateGroups.length > 0) outgoing['Impersonate-Group'] = impersonateGroups
      const req = request(url, {method, headers: outgoing, agent: this.base.agent, signal: AbortSignal.timeout(timeout)}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (error) => reject(networkError(error)))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const status = res.statusCode ?? 0
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as T)
            } catch {
              reject(new KubeReadError('other', `the API server's answer to ${method} ${path} is not JSON`, status))
            }
          } else reject(statusError(status, text, res.headers))
        })
      })
      req.on('error', (error) => reject(networkError(error)))
      req.end(body)
    })
  }
}

function statusError(status: number, text: string, _headers: IncomingHttpHeaders): KubeReadError {
  let message = `HTTP ${status}`
  try {
    const parsed = JSON.parse(text) as {message?: string}
    if (parsed.message) message = parsed.message
  } catch {
    if (text.trim()) message = `HTTP ${status}: ${text.trim().slice(0, 200)}`
  }
  const kind: KubeFailureKind = status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 401 ? 'unauthorized' : 'other'
  return new KubeReadError(kind, message, status)
}

function networkError(error: Error & {code?: string}): KubeReadError {
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return new KubeReadError('timeout', 'the API server did not answer in time')
  return new KubeReadError('unreachable', error.code ? `${error.code} (${error.message})` : error.message)
}
