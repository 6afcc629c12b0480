import {randomUUID} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {join} from 'node:path'
import type {V1EphemeralContainer, V1Pod} from '@kubernetes/client-node'
import {WebSocketServer, type WebSocket} from 'ws'
import {admitPodSecurity, validatePod} from './admission.js'
import {defaultNodes, FakeCluster, type FakeNode, type FakePod, type KubeletOptions, killContainerProcess, nodeObject} from './cluster.js'
import {type AccessAttributes, forbiddenMessage, isAllowed, type RbacRule} from './rbac.js'
import {failure, notFound, type KubeStatus, StatusError} from './status.js'

/** An injected HTTP failure: matched in order, used up after `times` matches (unlimited when omitted). */
export interface FaultRule {
  method?: string
  path: RegExp
  /** Answer with this status (500, 503…) and a Status body. */
  status?: number
  /** Destroy the connection without answering, as a dropped connection or a crashed apiserver. */
  drop?: boolean
  /** Process the request (it takes effect), then drop the connection instead of answering: a lost response. */
  dropAfterHandling?: boolean
  /** Matched against the query string, e.g. /dryRun=All/; a rule with it ignores requests whose query does not match. */
  query?: RegExp
  /** Hold the request this long first (then answer normally unless status/drop say otherwise). */
  delayMs?: number
  times?: number
}

export interface FakeKubeOptions {
  /** RBAC rules for the one user the kubeconfig authenticates as. */
  rbac?: RbacRule[] | 'allow-all'
  user?: string
  /** Namespaces and their labels (PodSecurity); `default` always exists. */
  namespaces?: Record<string, {labels?: Record<string, string>}>
  nodes?: FakeNode[]
  faults?: FaultRule[]
  kubelet?: KubeletOptions
  /** Namespace of the kubeconfig context. */
  contextNamespace?: string
  /**
   * Exec subprotocols offered, best first. `['v4.channel.k8s.io']` is an API server before Kubernetes 1.30: no
   * stdin half-close, so a client that ends stdin closes the whole stream. The real test bed is too new to show it.
   */
  execProtocols?: string[]
}

export interface RequestRecord {
  method: string
  path: string
  /** The query string, with its leading `?` (empty when none). */
  query: string
  status: number
}

export interface FakeKube {
  url: string
  kubeconfigPath: string
  state: {
    cluster: FakeCluster
    faults: FaultRule[]
    requests: RequestRecord[]
    rbac: RbacRule[] | 'allow-all'
    namespaces: Record<string, {labels?: Record<string, string>}>
    /** Pods currently stored, as `namespace/name`. */
    podNames(): string[]
  }
  stop(): Promise<void>
}

function sendStatus(response: ServerResponse, status: KubeStatus): void {
  response.writeHead(status.code, {'Content-Type': 'application/json'})
  response.end(JSON.stringify(status))
}

function sendJson(response: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(code, {'Content-Type': 'application/json', ...headers})
  response.end(JSON.stringify(body))
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    throw failure(400, 'BadRequest', `the object provided is unrecognized (not valid JSON)`)
  }
}

/** `a=b,c=d` equality selectors, which is all the probe and kubectl-style tools send. */
function matchesSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=').map((s) => s.trim())
    return value === undefined ? key! in (labels ?? {}) : labels?.[key!] === value
  })
}

const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?(?:\/(log|exec|ephemeralcontainers|status))?$/
const EVENTS_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/events$/
const NAMESPACE_PATH = /^\/api\/v1\/namespaces\/([^/]+)$/

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const user = options.user ?? 'system:serviceaccount:ci:runner-doctor'
  const namespaces = {default: {}, ...options.namespaces}
  const cluster = new FakeCluster(options.nodes ?? defaultNodes(), options.kubelet ?? {})
  const state: FakeKube['state'] = {
    cluster,
    faults: [...(options.faults ?? [])],
    requests: [],
    rbac: options.rbac ?? 'allow-all',
    namespaces,
    podNames: () => [...cluster.pods.keys()],
  }
  const sockets = new Set<Socket>()
  const execSessions = new Set<WebSocket>()

  const authorize = (attributes: AccessAttributes) => {
    if (!isAllowed(state.rbac, attributes)) {
      throw failure(403, 'Forbidden', forbiddenMessage(user, attributes), {
        ...(attributes.name ? {name: attributes.name} : {}),
        kind: attributes.subresource ? attributes.resource : attributes.resource,
      })
    }
  }

  const namespaceExists = (namespace: string) => {
    if (!(namespace in state.namespaces)) throw notFound('namespaces', namespace)
  }

  /** Applies the matching fault; returns true when the request was consumed by it. */
  const applyFault = async (
    request: IncomingMessage,
    response: ServerResponse | undefined,
    socket: Socket,
    path: string,
  ): Promise<boolean> => {
    const query = new URL(request.url ?? '/', 'http://localhost').search
    const rule = state.faults.find(
      (f) =>
        (!f.method || f.method === request.method) &&
        f.path.test(path) &&
        (!f.query || f.query.test(query)) &&
        (f.times === undefined || f.times > 0),
    )
    if (!rule) return false
    if (rule.times !== undefined) rule.times--
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs))
    if (rule.dropAfterHandling && response) {
      response.writeHead = (() => response) as unknown as typeof response.writeHead
      response.end = (() => {
        socket.destroy()
        return response
      }) as unknown as typeof response.end
      return false
    }
    if (rule.drop) {
      state.requests.push({method: request.method!, path, query, status: 0})
      socket.destroy()
      return true
    }
    if (rule.status) {
      state.requests.push({method: request.method!, path, query, status: rule.status})
      const reason = rule.status === 503 ? 'ServiceUnavailable' : 'InternalError'
      const message =
        rule.status === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: injected fault'
      if (response) sendStatus(response, failure(rule.status, reason, message).status)
      else
        socket.end(
          `HTTP/1.1 ${rule.status} Error\r\nContent-Type: application/json\r\nConnection: ` +
            `close\r\n\r\n${JSON.stringify(failure(rule.status, reason, message).status)}`,
        )
      return true
    }
    return false
  }

  const createPod = (namespace: string, body: Record<string, unknown>, dryRun: boolean): {pod: V1Pod; warnings: string[]} => {
    namespaceExists(namespace)
    const pod = body as V1Pod
    pod.metadata = {...pod.metadata, namespace}
    if (!pod.metadata.name && pod.metadata.generateName) pod.metadata.name = `${pod.metadata.generateName}${randomUUID().slice(0, 5)}`
    validatePod(pod)
    const warnings = admitPodSecurity(pod, state.namespaces[namespace]?.labels ?? {})
    if (cluster.get(namespace, pod.metadata.name!)) {
      throw failure(409, 'AlreadyExists', `pods "${pod.metadata.name}" already exists`, {name: pod.metadata.name, kind: 'pods'})
    }
    pod.metadata.uid = randomUUID()
    pod.metadata.creationTimestamp = new Date()
    pod.metadata.resourceVersion = String(Date.now())
    pod.spec!.dnsPolicy ??= 'ClusterFirst'
    pod.spec!.serviceAccountName ??= 'default'
    if (dryRun) return {pod: {...pod, status: {phase: 'Pending', qosClass: 'BestEffort'}}, warnings}
    cluster.add(pod)
    return {pod, warnings}
  }

  const handle = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const method = request.method!
    const path = url.pathname
    if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const review = parseJson(await readBody(request)) as {spec?: {resourceAttributes?: Record<string, string>}}
      const attributes = review.spec?.resourceAttributes ?? {}
      const allowed = isAllowed(state.rbac, {
        verb: attributes.verb ?? '',
        resource: attributes.resource ?? '',
        subresource: attributes.subresource || undefined,
        namespace: attributes.namespace || undefined,
      })
      return sendJson(response, 201, {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: {creationTimestamp: null},
        spec: review.spec,
        status: allowed
          ? {allowed: true, reason: `RBAC: allowed by RoleBinding "runner-doctor-probe" of Role "runner-doctor-probe" to User "${user}"`}
          : {allowed: false},
      })
    }
    if (method === 'GET' && path === '/api/v1/nodes') {
      authorize({verb: 'list', resource: 'nodes'})
      return sendJson(response, 200, {
        apiVersion: 'v1',
        kind: 'NodeList',
        metadata: {resourceVersion: '1'},
        items: cluster.nodes.map(nodeObject),
      })
    }
    const namespaceMatch = NAMESPACE_PATH.exec(path)
    if (method === 'GET' && namespaceMatch) {
      const name = decodeURIComponent(namespaceMatch[1]!)
      authorize({verb: 'get', resource: 'namespaces', name})
      namespaceExists(name)
      return sendJson(response, 200, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name, labels: {'kubernetes.io/metadata.name': name, ...state.namespaces[name]?.labels}},
        status: {phase: 'Active'},
      })
    }
    const eventsMatch = EVENTS_PATH.exec(path)
    if (method === 'GET' && eventsMatch) {
      const namespace = decodeURIComponent(eventsMatch[1]!)
      authorize({verb: 'list', resource: 'events', namespace})
      const selector = url.searchParams.get('fieldSelector') ?? ''
      const involved = /involvedObject\.name=([^,]+)/.exec(selector)?.[1]
      const items = cluster.events.filter((e) => e.metadata?.namespace === namespace && (!involved || e.involvedObject.name === involved))
      return sendJson(response, 200, {apiVersion: 'v1', kind: 'EventList', metadata: {resourceVersion: '1'}, items})
    }
    const podMatch = POD_PATH.exec(path)
    if (!podMatch) throw failure(404, 'NotFound', 'the server could not find the requested resource')
    const namespace = decodeURIComponent(podMatch[1]!)
    const name = podMatch[2] ? decodeURIComponent(podMatch[2]) : undefined
    const sub = podMatch[3]
    if (!name) {
      if (method === 'GET') {
        authorize({verb: url.searchParams.get('watch') === 'true' ? 'watch' : 'list', resource: 'pods', namespace})
        namespaceExists(namespace)
        const selector = url.searchParams.get('labelSelector')
        const items = cluster
          .list(namespace)
          .filter((p) => matchesSelector(p.object.metadata?.labels, selector))
          .map((p) => p.object)
        return sendJson(response, 200, {apiVersion: 'v1', kind: 'PodList', metadata: {resourceVersion: String(Date.now())}, items})
      }
      if (method === 'POST') {
        authorize({verb: 'create', resource: 'pods', namespace})
        const dryRun = url.searchParams.get('dryRun') === 'All'
        const {pod, warnings} = createPod(namespace, parseJson(await readBody(request)), dryRun)
        return sendJson(
          response,
          201,
          pod,
          warnings.length ? {Warning: warnings.map((w) => `299 - "${w.replaceAll('"', '\\"')}"`).join(', ')} : {},
        )
      }
      throw failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
    }
    if (!sub) {
      if (method === 'GET') {
        authorize({verb: 'get', resource: 'pods', namespace, name})
        const pod = cluster.get(namespace, name)
        if (!pod) throw notFound('pods', name)
        return sendJson(response, 200, pod.object)
      }
      if (method === 'DELETE') {
        authorize({verb: 'delete', resource: 'pods', namespace, name})
        await readBody(request)
        const pod = cluster.remove(namespace, name)
        if (!pod) throw notFound('pods', name)
        return sendJson(response, 200, {
          ...pod.object,
          metadata: {...pod.object.metadata, deletionTimestamp: new Date(), deletionGracePeriodSeconds: 0},
        })
      }
      throw failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
    }
    if (sub === 'log' && method === 'GET') {
      authorize({verb: 'get', resource: 'pods', subresource: 'log', namespace, name})
      const pod = cluster.get(namespace, name)
      if (!pod) throw notFound('pods', name)
      return sendLog(response, pod, url)
    }
    if (sub === 'ephemeralcontainers' && method === 'PATCH') {
      authorize({verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', namespace, name})
      const pod = cluster.get(namespace, name)
      if (!pod) throw notFound('pods', name)
      const patch = parseJson(await readBody(request)) as {spec?: {ephemeralContainers?: V1EphemeralContainer[]}}
      const existing = pod.object.spec!.ephemeralContainers ?? []
      const added = (patch.spec?.ephemeralContainers ?? []).filter((c) => !existing.some((e) => e.name === c.name))
      const candidate: V1Pod = {...pod.object, spec: {...pod.object.spec!, ephemeralContainers: [...existing, ...added]}}
      validatePod(candidate)
      admitPodSecurity(candidate, state.namespaces[namespace]?.labels ?? {})
      pod.object.spec!.ephemeralContainers = candidate.spec!.ephemeralContainers
      for (const container of added) cluster.addEphemeral(pod, container)
      return sendJson(response, 200, pod.object)
    }
    throw failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
  }

  const sendLog = (response: ServerResponse, pod: FakePod, url: URL) => {
    const containers = [...pod.object.spec!.containers, ...(pod.object.spec!.ephemeralContainers ?? [])].map((c) => c.name)
    const container = url.searchParams.get('container') ?? (containers.length === 1 ? containers[0] : undefined)
    if (!container)
      throw failure(
        400,
        'BadRequest',
        `a container name must be specified for pod ${pod.object.metadata!.name}, choose one of: [${containers.join(' ')}]`,
      )
    if (!containers.includes(container))
      throw failure(400, 'BadRequest', `container ${container} is not valid for pod ${pod.object.metadata!.name}`)
    const runtime = pod.runtimes.get(container)
    if (!runtime) {
      const reason =
        [...(pod.object.status?.containerStatuses ?? []), ...(pod.object.status?.ephemeralContainerStatuses ?? [])].find(
          (s) => s.name === container,
        )?.state?.waiting?.reason ?? 'ContainerCreating'
      throw failure(400, 'BadRequest', `container "${container}" in pod "${pod.object.metadata!.name}" is waiting to start: ${reason}`)
    }
    let text = runtime.log
    const tail = Number(url.searchParams.get('tailLines'))
    if (Number.isInteger(tail) && tail > 0) {
      const lines = text.split('\n')
      const trailing = lines.at(-1) === '' ? lines.pop() : undefined
      text = lines.slice(-tail).join('\n') + (trailing === '' ? '\n' : '')
    }
    response.writeHead(200, {'Content-Type': 'text/plain'})
    response.end(text)
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    void (async () => {
      try {
        if (await applyFault(request, response, request.socket, url.pathname)) return
        await handle(request, response, url)
        state.requests.push({method: request.method!, path: url.pathname, query: url.search, status: response.statusCode})
      } catch (error) {
        const status =
          error instanceof StatusError
            ? error.status
            : failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`).status
        state.requests.push({method: request.method!, path: url.pathname, query: url.search, status: status.code})
        if (!response.headersSent) sendStatus(response, status)
      }
    })()
  })

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      (options.execProtocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io']).find((p) => protocols.has(p)) ?? false,
  })

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    void (async () => {
      if (await applyFault(request, undefined, socket, url.pathname)) return
      const reject = (status: KubeStatus) => {
        state.requests.push({method: 'GET', path: url.pathname, query: url.search, status: status.code})
        const body = JSON.stringify(status)
        socket.end(
          `HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: ` +
            `application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: ` +
            `close\r\n\r\n${body}`,
        )
      }
      const match = POD_PATH.exec(url.pathname)
      if (!match || match[3] !== 'exec' || !match[2])
        return reject(failure(404, 'NotFound', 'the server could not find the requested resource').status)
      const namespace = decodeURIComponent(match[1]!)
      const name = decodeURIComponent(match[2])
      try {
        // Since Kubernetes 1.35 a WebSocket exec needs both verbs (AuthorizePodWebsocketUpgradeCreatePermission).
        authorize({verb: 'get', resource: 'pods', subresource: 'exec', namespace, name})
        authorize({verb: 'create', resource: 'pods', subresource: 'exec', namespace, name})
      } catch (error) {
        return reject((error as StatusError).status)
      }
      const pod = cluster.get(namespace, name)
      if (!pod) return reject(notFound('pods', name).status)
      const containerName = url.searchParams.get('container') ?? pod.object.spec!.containers[0]!.name
      const container = [...pod.object.spec!.containers, ...(pod.object.spec!.ephemeralContainers ?? [])].find(
        (c) => c.name === containerName,
      )
      if (!container) return reject(failure(400, 'BadRequest', `container ${containerName} is not valid for pod ${name}`).status)
      const running = [...(pod.object.status?.containerStatuses ?? []), ...(pod.object.status?.ephemeralContainerStatuses ?? [])].find(
        (s) => s.name === containerName,
      )?.state?.running
      if (!running)
        return reject(failure(400, 'BadRequest', `unable to upgrade connection: container not found ("${containerName}")`).status)
      const command = url.searchParams.getAll('command')
      if (!command.length) return reject(failure(400, 'BadRequest', 'you must specify at least 1 command').status)
      wss.handleUpgrade(request, socket, head, (ws) => {
        state.requests.push({method: 'GET', path: url.pathname, query: url.search, status: 101})
        execSessions.add(ws)
        ws.on('close', () => execSessions.delete(ws))
        runExec(ws, pod, container, command)
      })
    })()
  })

  const runExec = (ws: WebSocket, pod: FakePod, container: V1EphemeralContainer, command: string[]) => {
    const child = cluster.spawnIn(pod, container, command)
    const send = (channel: number, data: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]))
    }
    child.stdout!.on('data', (chunk: Buffer) => send(1, chunk))
    child.stderr!.on('data', (chunk: Buffer) => send(2, chunk))
    ws.on('message', (data: Buffer) => {
      const channel = data[0]
      if (channel === 0) child.stdin!.write(data.subarray(1))
      // The close-stream message exists only in v5; a v4 server would take it for data on an unknown channel.
      else if (channel === 255 && data[1] === 0 && ws.protocol === 'v5.channel.k8s.io') child.stdin!.end()
    })
    ws.on('close', () => {
      killContainerProcess(child)
    })
    let finished = false
    const finish = (status: Record<string, unknown>) => {
      if (finished) return
      finished = true
      send(3, JSON.stringify(status))
      ws.close(1000)
    }
    child.on('error', (error) =>
      finish({
        metadata: {},
        status: 'Failure',
        message:
          `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": ` +
          `executable file not found in $PATH: unknown (${error.message})`,
        reason: 'NonZeroExitCode',
        details: {causes: [{reason: 'ExitCode', message: '127'}]},
      }),
    )
    child.on('close', (code, signal) => {
      const exitCode = code ?? (signal ? 128 + 9 : 1)
      finish(
        exitCode === 0
          ? {metadata: {}, status: 'Success'}
          : {
              metadata: {},
              status: 'Failure',
              message:
                `command terminated with non-zero exit code: error executing command [${command.join(' ').slice(0, 200)}], ` +
                `exit code ${exitCode}`,
              reason: 'NonZeroExitCode',
              details: {causes: [{reason: 'ExitCode', message: String(exitCode)}]},
            },
      )
    })
  }

  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const kubeconfigPath = join(cluster.root, 'kubeconfig.yaml')
  writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: probe',
      '  user:',
      '    token: fake-token-not-a-secret',
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: probe',
      `    namespace: ${options.contextNamespace ?? 'default'}`,
      'current-context: fake',
      '',
    ].join('\n'),
  )
  return {
    url,
    kubeconfigPath,
    state,
    stop: async () => {
      for (const ws of execSessions) ws.terminate()
      wss.close()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      cluster.close()
    },
  }
}
