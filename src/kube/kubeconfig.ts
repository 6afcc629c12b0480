import {existsSync, readFileSync} from 'node:fs'
import {Agent as HttpAgent} from 'node:http'
import {Agent as HttpsAgent} from 'node:https'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join} from 'node:path'

import {parse as parseYaml} from 'yaml'

import {type ExecPluginConfig, runCredentialPlugin} from './exec-credential.js'
import {checkServerScheme} from './plain-http.js'
import {apiProxyFor} from './proxy.js'
import {TunnelAgent} from './tunnel-agent.js'

/*
 * Reads a kubeconfig the way kubectl does for the cases met in CI and on laptops: $KUBECONFIG (a list of files, the
 * first to set a value wins), ~/.kube/config or the in-cluster ServiceAccount; a server with its CA; a bearer token
 * (or token file), a client certificate, basic auth or an exec credential plugin (EKS, GKE, AKS), run once; an http
 * proxy from proxy-url or HTTPS_PROXY/NO_PROXY; plain http only on loopback (kubectl proxy). What it does not cover
 * (auth-provider, a socks proxy) returns `undefined`, and the caller hands the file to the Kubernetes client library
 * instead. Reading the file ourselves keeps that library, and its start-up cost, out of the usual run.
 */

export interface Connection {
  server: URL
  contextName: string
  namespace: string
  headers: Record<string, string>
  agent: HttpAgent
  /** The proxy the API traffic goes through, when one applies. */
  proxy?: string
  /** Plain http on loopback: `kubectl proxy`, which refuses exec by default. */
  plainHttpLoopback?: boolean
}

export class KubeconfigError extends Error {
  override name = 'KubeconfigError'
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

interface Named {
  name: string
  [kind: string]: unknown
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (explicit) return [explicit]
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((f) => f !== '' && existsSync(f))
  const home = join(env.HOME ?? homedir(), '.kube', 'config')
  return existsSync(home) ? [home] : []
}

/** Several kubeconfig files as one: for each named cluster, user and context, and for current-context, the first file wins. */
function merged(files: string[]): {config: Json; dirOf: Map<object, string>} {
  const config: Json = {clusters: [], users: [], contexts: []}
  const dirOf = new Map<object, string>()
  for (const file of files) {
    let data: Json
    try {
      data = (parseYaml(readFileSync(file, 'utf8')) as Json) ?? {}
    } catch (error) {
      throw new KubeconfigError(`the kubeconfig ${file} could not be read: ${(error as Error).message.split('\n')[0]}`)
    }
    config['current-context'] ??= data['current-context']
    for (const kind of ['clusters', 'users', 'contexts']) {
      for (const entry of (data[kind] ?? []) as Named[]) {
        if ((config[kind] as Named[]).some((e) => e.name === entry.name)) continue
        config[kind].push(entry)
        dirOf.set(entry, dirname(file))
      }
    }
  }
  return {config, dirOf}
}

const fileOrData = (dir: string, file: unknown, data: unknown): Buffer | undefined => {
  if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64')
  if (typeof file === 'string' && file !== '') return readFileSync(isAbsolute(file) ? file : join(dir, file))
  return undefined
}

function inCluster(env: NodeJS.ProcessEnv): Connection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST
  const token = join(SERVICE_ACCOUNT_DIR, 'token')
  if (!host || !existsSync(token)) return undefined
  const server = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`)
  const namespaceFile = join(SERVICE_ACCOUNT_DIR, 'namespace')
  return {
    server,
    contextName: 'in-cluster',
    namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : 'default',
    headers: {Authorization: `Bearer ${readFileSync(token, 'utf8').trim()}`},
    agent: new HttpsAgent({ca: readFileSync(join(SERVICE_ACCOUNT_DIR, 'ca.crt')), keepAlive: true}),
  }
}

/**
 * The connection a kubeconfig describes, or undefined when it needs what only the client library does
 * (auth-provider, proxy-url). Throws KubeconfigError when there is no usable configuration at all.
 */
export function readKubeconfig(
  options: {kubeconfig?: string; context?: string},
  env: NodeJS.ProcessEnv = process.env,
): Connection | undefined {
  const files = kubeconfigFiles(options.kubeconfig, env)
  if (files.length === 0) {
    const fromPod = options.context ? undefined : inCluster(env)
    if (fromPod) return fromPod
    throw new KubeconfigError('no kubeconfig was found and this is not running inside a cluster: set KUBECONFIG or pass --kubeconfig')
  }
  if (options.kubeconfig && !existsSync(options.kubeconfig))
    throw new KubeconfigError(`the kubeconfig ${options.kubeconfig} does not exist`)
  const {config, dirOf} = merged(files)
  const contextName: string | undefined = options.context ?? config['current-context']
  if (!contextName) throw new KubeconfigError('the kubeconfig names no current-context; pass --context')
  const context = (config.contexts as Named[]).find((c) => c.name === contextName)
  if (!context) throw new KubeconfigError(`the kubeconfig has no context named "${contextName}"`)
  const contextData = (context.context ?? {}) as Json
  const clusterEntry = (config.clusters as Named[]).find((c) => c.name === contextData.cluster)
  if (!clusterEntry)
    throw new KubeconfigError(`context "${contextName}" names cluster "${contextData.cluster}", which the kubeconfig does not define`)
  const userEntry = (config.users as Named[]).find((u) => u.name === contextData.user)
  const cluster = (clusterEntry.cluster ?? {}) as Json
  const user = ((userEntry?.user ?? {}) as Json) ?? {}
  if (typeof cluster.server !== 'string') throw new KubeconfigError(`cluster "${clusterEntry.name}" has no server`)
  const server = new URL(cluster.server)
  const proxy = apiProxyFor(server, cluster['proxy-url'], env)
  if ((proxy && !/^http:/i.test(proxy)) || user['auth-provider']) return undefined
  const clusterDir = dirOf.get(clusterEntry) ?? process.cwd()
  const userDir = userEntry ? (dirOf.get(userEntry) ?? process.cwd()) : process.cwd()
  const headers: Record<string, string> = {}
  let cert = fileOrData(userDir, user['client-certificate'], user['client-certificate-data'])
  let key = fileOrData(userDir, user['client-key'], user['client-key-data'])
  let token: string | undefined =
    user.token ??
    (user.tokenFile ? readFileSync(isAbsolute(user.tokenFile) ? user.tokenFile : join(userDir, user.tokenFile), 'utf8').trim() : undefined)
  if (user.exec) {
    const credential = runCredentialPlugin(user.exec as ExecPluginConfig, userDir, env)
    token = credential.token ?? token
    cert = credential.clientCertificateData ? Buffer.from(credential.clientCertificateData) : cert
    key = credential.clientKeyData ? Buffer.from(credential.clientKeyData) : key
  }
  if (token) headers.Authorization = `Bearer ${token}`
  else if (user.username) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`
  if (user.as) headers['Impersonate-User'] = String(user.as)
  const insecure = cluster['insecure-skip-tls-verify'] === true
  const {plainHttpLoopback} = checkServerScheme(server, {
    name: clusterEntry.name,
    insecureSkipTlsVerify: insecure,
    file: files.length === 1 ? files[0] : undefined,
  })
  const tls = {
    ca: fileOrData(clusterDir, cluster['certificate-authority'], cluster['certificate-authority-data']),
    cert,
    key,
    rejectUnauthorized: !insecure,
    servername: cluster['tls-server-name'],
    keepAlive: true,
  }
  // Plain http through a proxy would need absolute-URI requests; kubectl proxy and http servers are not proxied here.
  const agent =
    server.protocol === 'http:' ? new HttpAgent({keepAlive: true}) : proxy ? new TunnelAgent(new URL(proxy), tls) : new HttpsAgent(tls)
  return {
    server,
    contextName,
    namespace: contextData.namespace ?? 'default',
    headers,
    agent,
    proxy: server.protocol === 'https:' ? proxy : undefined,
    plainHttpLoopback,
  }
}
