import {spawn, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {CoreV1Event, V1Container, V1ContainerStatus, V1EphemeralContainer, V1Node, V1Pod} from '@kubernetes/client-node'
import {quantityValue} from './admission.js'

export interface FakeNode {
  name: string
  labels?: Record<string, string>
  cpu?: string
  memory?: string
  unschedulable?: boolean
  ready?: boolean
  taints?: {key: string; value?: string; effect: string}[]
}

export interface ContainerContext {
  pod: V1Pod
  container: string
  /** Files the simulated kubelet wrote for this pod, as a kubelet writes them into the pod's mount namespace. */
  files: {resolvConf: string; hostsFile: string}
}

/** How the simulated kubelet runs and times things; tests tune it per case. */
export interface KubeletOptions {
  /** Delay before the scheduler looks at a new pod. */
  scheduleMs?: number
  /** Delay for each image pull. */
  pullMs?: number
  /** Images the fake registry has; `repo:*` matches every tag. Anything else fails to pull. */
  images?: string[]
  /** Nameserver written to the pod's resolv.conf for ClusterFirst. */
  clusterDns?: string
  clusterDomain?: string
  /** Rewrites the check program's options JSON before a `node` process starts, to point it at loopback test servers. */
  agentOptions?: (options: Record<string, unknown>, context: ContainerContext) => Record<string, unknown>
  /** What the simulated dind prints and whether it stays up; default: up when privileged, dies like real dind when not. */
  dind?: (context: ContainerContext) => {exitAfterMs?: number; exitCode?: number; log: string}
}

interface ContainerRuntime {
  /** Kept after it exits: its process group may outlive it, and stopping the pod kills the group. */
  process?: ChildProcess
  timers: NodeJS.Timeout[]
  log: string
  startedAt?: string
}

export interface FakePod {
  object: V1Pod
  runtimes: Map<string, ContainerRuntime>
  dir: string
  timers: NodeJS.Timeout[]
  deleted: boolean
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

export function defaultNodes(): FakeNode[] {
  return ['node-a', 'node-b', 'node-c'].map((name) => ({name}))
}

export function nodeObject(node: FakeNode): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: randomUUID(),
      labels: {'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', ...node.labels},
    },
    spec: {...(node.unschedulable ? {unschedulable: true} : {}), ...(node.taints ? {taints: node.taints} : {})},
    status: {
      allocatable: {cpu: node.cpu ?? '2', memory: node.memory ?? '4Gi', pods: '110'},
      capacity: {cpu: node.cpu ?? '2', memory: node.memory ?? '4Gi', pods: '110'},
      conditions: [
        {type: 'Ready', status: node.ready === false ? 'False' : 'True', reason: node.ready === false ? 'KubeletNotReady' : 'KubeletReady'},
      ],
    },
  }
}

export function imageAvailable(image: string, images: string[]): boolean {
  const normalized = image.includes(':') || image.includes('@') ? image : `${image}:latest`
  return images.some((known) => (known.endsWith(':*') ? normalized.startsWith(known.slice(0, -1)) : known === normalized))
}

// The runner's helper image is public: a cluster that pulls docker:* pulls it too (the mirror pod runs it as the helper).
export const DEFAULT_IMAGES = [
  'node:*',
  'docker:*',
  'busybox:*',
  'alpine:*',
  'registry.example.com/ci/node:*',
  'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:*',
]

function podRequests(pod: V1Pod): {cpu: number; memory: number} {
  let cpu = 0
  let memory = 0
  for (const c of pod.spec?.containers ?? []) {
    cpu += quantityValue(String(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu ?? '0'))
    memory += quantityValue(String(c.resources?.requests?.memory ?? c.resources?.limits?.memory ?? '0'))
  }
  return {cpu, memory}
}

function tolerates(pod: V1Pod, taint: {key: string; value?: string; effect: string}): boolean {
  return (pod.spec?.tolerations ?? []).some(
    (t) =>
      (t.key === undefined || t.key === taint.key) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')) &&
      (!t.effect || t.effect === taint.effect),
  )
}

/** What the scheduler decides for one pod: a node, or the FailedScheduling message it would print. */
export function schedule(
  pod: V1Pod,
  nodes: FakeNode[],
  usage: Map<string, {cpu: number; memory: number}>,
): {node?: string; message?: string} {
  const reasons = new Map<string, number>()
  const count = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  const wanted = podRequests(pod)
  for (const node of nodes) {
    const object = nodeObject(node)
    const labels = object.metadata!.labels!
    if (pod.spec?.nodeName && pod.spec.nodeName !== node.name) continue
    if (node.ready === false) count('node(s) had untolerated taint {node.kubernetes.io/not-ready: }')
    else if (node.unschedulable) count('node(s) were unschedulable')
    else if (Object.entries(pod.spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v))
      count("node(s) didn't match Pod's node affinity/selector")
    else if ((node.taints ?? []).some((t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod, t))) {
      const taint = node.taints!.find((t) => !tolerates(pod, t))!
      count(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`)
    } else {
      const used = usage.get(node.name) ?? {cpu: 0, memory: 0}
      const cpuFree = quantityValue(node.cpu ?? '2') - used.cpu
      const memoryFree = quantityValue(node.memory ?? '4Gi') - used.memory
      if (wanted.cpu > cpuFree) count('Insufficient cpu')
      else if (wanted.memory > memoryFree) count('Insufficient memory')
      else return {node: node.name}
    }
  }
  const total = pod.spec?.nodeName ? 1 : nodes.length
  const parts = [...reasons].sort(([a], [b]) => a.localeCompare(b)).map(([reason, n]) => `${n} ${reason}`)
  return {
    message:
      `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} ` +
      `Preemption is not helpful for scheduling.`,
  }
}

/** The pod's /etc/resolv.conf as kubelet writes it for the pod's dnsPolicy and dnsConfig. */
export function resolvConfFor(pod: V1Pod, clusterDns: string, clusterDomain: string): string {
  const namespace = pod.metadata?.namespace ?? 'default'
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst'
  let nameservers: string[] = []
  let searches: string[] = []
  let options: string[] = []
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    nameservers = [clusterDns]
    searches = [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain]
    options = ['ndots:5']
  } else if (policy === 'Default') {
    nameservers = [clusterDns]
  }
  const config = pod.spec?.dnsConfig
  nameservers = [...new Set([...nameservers, ...(config?.nameservers ?? [])])].slice(0, 3)
  searches = [...new Set([...searches, ...(config?.searches ?? [])])]
  for (const option of config?.options ?? []) {
    options = options.filter((o) => o.split(':')[0] !== option.name)
    options.push(option.value === undefined ? option.name! : `${option.name}:${option.value}`)
  }
  return (
    [
      ...(searches.length ? [`search ${searches.join(' ')}`] : []),
      ...nameservers.map((ns) => `nameserver ${ns}`),
      ...(options.length ? [`options ${options.join(' ')}`] : []),
    ].join('\n') + '\n'
  )
}

/** The pod's /etc/hosts: kubelet's own entries, then one line per hostAlias. */
export function hostsFileFor(pod: V1Pod): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `${pod.status?.podIP ?? '127.0.1.1'}\t${pod.metadata?.name}`,
  ]
  const aliases = pod.spec?.hostAliases ?? []
  if (aliases.length) lines.push('', '# Entries added by HostAliases.')
  for (const alias of aliases) lines.push(`${alias.ip}\t${(alias.hostnames ?? []).join('\t')}`)
  return lines.join('\n') + '\n'
}

function imageHasNode(image: string): boolean {
  return /(^|\/)node(:|@|$)/.test(image)
}

/**
 * A container's view of executables: a directory with `sh`, and `node` only when the image ships it, so
 * `command -v node` answers as it would in that image.
 */
export function containerBinDir(podDir: string, container: string, image: string): string {
  const dir = join(podDir, 'bin', container)
  mkdirSync(dir, {recursive: true})
  const link = (name: string, target: string) => {
    try {
      symlinkSync(target, join(dir, name))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  link('sh', '/bin/sh')
  link('sleep', '/bin/sleep')
  if (imageHasNode(image)) link('node', process.execPath)
  return dir
}

export class FakeCluster {
  readonly pods = new Map<string, FakePod>()
  readonly events: CoreV1Event[] = []
  readonly root = mkdtempSync(join(tmpdir(), 'fake-kube-'))
  private podIpCounter = 2

  constructor(
    readonly nodes: FakeNode[],
    readonly kubelet: KubeletOptions,
  ) {}

  key(namespace: string, name: string): string {
    return `${namespace}/${name}`
  }

  get(namespace: string, name: string): FakePod | undefined {
    return this.pods.get(this.key(namespace, name))
  }

  list(namespace: string): FakePod[] {
    return [...this.pods.values()].filter((p) => p.object.metadata?.namespace === namespace)
  }

  recordEvent(pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string, component: string, fieldPath?: string): void {
    const existing = this.events.find((e) => e.involvedObject.uid === pod.metadata?.uid && e.reason === reason && e.message === message)
    if (existing) {
      existing.count = (existing.count ?? 1) + 1
      existing.lastTimestamp = new Date()
      return
    }
    this.events.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name: `${pod.metadata?.name}.${randomUUID().slice(0, 8)}`, namespace: pod.metadata?.namespace},
      involvedObject: {
        kind: 'Pod',
        apiVersion: 'v1',
        name: pod.metadata?.name,
        namespace: pod.metadata?.namespace,
        uid: pod.metadata?.uid,
        ...(fieldPath ? {fieldPath} : {}),
      },
      reason,
      message,
      type,
      source: {component},
      count: 1,
      firstTimestamp: new Date(),
      lastTimestamp: new Date(),
    })
  }

  add(object: V1Pod): FakePod {
    const dir = mkdtempSync(join(this.root, `${object.metadata!.name}-`))
    const pod: FakePod = {object, runtimes: new Map(), dir, timers: [], deleted: false}
    object.status = {phase: 'Pending', conditions: [], qosClass: 'BestEffort'}
    this.pods.set(this.key(object.metadata!.namespace!, object.metadata!.name!), pod)
    this.after(pod, this.kubelet.scheduleMs ?? 30, () => this.trySchedule(pod))
    return pod
  }

  private after(pod: FakePod, ms: number, action: () => void): void {
    pod.timers.push(
      setTimeout(() => {
        if (!pod.deleted) action()
      }, ms),
    )
  }

  private usage(): Map<string, {cpu: number; memory: number}> {
    const usage = new Map<string, {cpu: number; memory: number}>()
    for (const pod of this.pods.values()) {
      const node = pod.object.spec?.nodeName
      if (!node || pod.object.status?.phase === 'Succeeded' || pod.object.status?.phase === 'Failed') continue
      const wanted = podRequests(pod.object)
      const used = usage.get(node) ?? {cpu: 0, memory: 0}
      usage.set(node, {cpu: used.cpu + wanted.cpu, memory: used.memory + wanted.memory})
    }
    return usage
  }

  private trySchedule(pod: FakePod): void {
    const object = pod.object
    const decision = schedule(object, this.nodes, this.usage())
    if (!decision.node) {
      object.status!.conditions = [
        {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: decision.message, lastTransitionTime: new Date()},
      ]
      this.recordEvent(object, 'Warning', 'FailedScheduling', decision.message!, 'default-scheduler')
      this.after(pod, Math.max(200, (this.kubelet.scheduleMs ?? 30) * 4), () => this.trySchedule(pod))
      return
    }
    object.spec!.nodeName = decision.node
    object.status = {
      ...object.status,
      hostIP: '127.0.0.1',
      podIP: `127.0.1.${this.podIpCounter++ % 250}`,
      startTime: new Date(),
      conditions: [{type: 'PodScheduled', status: 'True', lastTransitionTime: new Date()}],
      containerStatuses: object.spec!.containers.map((c) => this.waiting(c, 'ContainerCreating')),
    }
    this.recordEvent(
      object,
      'Normal',
      'Scheduled',
      `Successfully assigned ${object.metadata!.namespace}/${object.metadata!.name} to ${decision.node}`,
      'default-scheduler',
    )
    writeFileSync(
      join(pod.dir, 'resolv.conf'),
      resolvConfFor(object, this.kubelet.clusterDns ?? '127.0.0.10', this.kubelet.clusterDomain ?? 'cluster.local'),
    )
    writeFileSync(join(pod.dir, 'hosts'), hostsFileFor(object))
    this.pullAll(pod)
  }

  private waiting(container: V1Container | V1EphemeralContainer, reason: string, message?: string): V1ContainerStatus {
    return {
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: {waiting: {reason, ...(message ? {message} : {})}},
    }
  }

  private pullAll(pod: FakePod): void {
    const images = this.kubelet.images ?? DEFAULT_IMAGES
    const containers = pod.object.spec!.containers
    const failing = containers.filter((c) => !imageAvailable(c.image!, images))
    for (const c of containers)
      this.recordEvent(pod.object, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', `spec.containers{${c.name}}`)
    this.after(pod, this.kubelet.pullMs ?? 30, () => {
      if (failing.length) {
        for (const c of failing) this.imagePullFailure(pod, c, 0)
        return
      }
      for (const c of containers)
        this.recordEvent(
          pod.object,
          'Normal',
          'Pulled',
          `Successfully pulled image "${c.image}" in 1.2s (1.2s including waiting). Image size: 52428800 bytes.`,
          'kubelet',
          `spec.containers{${c.name}}`,
        )
      for (const c of containers) this.startContainer(pod, c, 'containerStatuses')
      this.refreshPhase(pod)
    })
  }

  private imagePullFailure(pod: FakePod, container: V1Container, attempt: number): void {
    if (container.imagePullPolicy === 'Never') {
      // kubelet's words; it never retries a pull it is told not to make.
      const message = `Container image "${container.image}" is not present with pull policy of Never`
      const statuses = pod.object.status!.containerStatuses!
      statuses[statuses.findIndex((s) => s.name === container.name)] = this.waiting(container, 'ErrImageNeverPull', message)
      this.recordEvent(pod.object, 'Warning', 'ErrImageNeverPull', message, 'kubelet', `spec.containers{${container.name}}`)
      return
    }
    const ref = container.image!.includes('/') ? container.image! : `docker.io/library/${container.image}`
    const message =
      `Failed to pull image "${container.image}": rpc error: code = NotFound desc = failed to pull ` +
      `and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`
    const statuses = pod.object.status!.containerStatuses!
    const index = statuses.findIndex((s) => s.name === container.name)
    statuses[index] = this.waiting(
      container,
      attempt === 0 ? 'ErrImagePull' : 'ImagePullBackOff',
      attempt === 0 ? message : `Back-off pulling image "${container.image}"`,
    )
    if (attempt === 0) {
      this.recordEvent(pod.object, 'Warning', 'Failed', message, 'kubelet', `spec.containers{${container.name}}`)
      this.recordEvent(pod.object, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', `spec.containers{${container.name}}`)
    } else {
      this.recordEvent(
        pod.object,
        'Normal',
        'BackOff',
        `Back-off pulling image "${container.image}"`,
        'kubelet',
        `spec.containers{${container.name}}`,
      )
      this.recordEvent(pod.object, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet', `spec.containers{${container.name}}`)
    }
    this.after(pod, Math.max(150, (this.kubelet.pullMs ?? 30) * 3), () => this.imagePullFailure(pod, container, attempt + 1))
  }

  context(pod: FakePod, container: string): ContainerContext {
    return {pod: pod.object, container, files: {resolvConf: join(pod.dir, 'resolv.conf'), hostsFile: join(pod.dir, 'hosts')}}
  }

  /** Environment of a container: its `env`, with downward-API fields resolved as kubelet does. */
  containerEnv(pod: FakePod, container: V1Container | V1EphemeralContainer): Record<string, string> {
    const env: Record<string, string> = {
      HOSTNAME: pod.object.metadata!.name!,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    }
    const fields: Record<string, string | undefined> = {
      'spec.nodeName': pod.object.spec?.nodeName,
      'metadata.name': pod.object.metadata?.name,
      'metadata.namespace': pod.object.metadata?.namespace,
      'status.podIP': pod.object.status?.podIP,
    }
    for (const entry of container.env ?? []) {
      if (entry.value !== undefined) env[entry.name] = entry.value
      else if (entry.valueFrom?.fieldRef) env[entry.name] = fields[entry.valueFrom.fieldRef.fieldPath] ?? ''
    }
    return env
  }

  /** Argv with the check program's options rewritten for this machine, when the command is the check program. */
  rewriteAgentArgv(pod: FakePod, container: string, argv: string[]): string[] {
    const last = argv.at(-1)
    if (argv[0] !== 'node' || !last?.startsWith('{')) return argv
    let options: Record<string, unknown>
    try {
      options = JSON.parse(last) as Record<string, unknown>
    } catch {
      return argv
    }
    const context = this.context(pod, container)
    const withFiles = {resolvConf: context.files.resolvConf, hostsFile: context.files.hostsFile, ...options}
    const rewritten = this.kubelet.agentOptions ? this.kubelet.agentOptions(withFiles, context) : withFiles
    return [...argv.slice(0, -1), JSON.stringify(rewritten)]
  }

  /**
   * A container's process leads a process group of its own, as a container is a process tree: stopping it kills the
   * whole group (killContainerProcess), so a `sleep` under a shell does not outlive it holding the test's pipes open.
   */
  spawnIn(pod: FakePod, container: V1Container | V1EphemeralContainer, argv: string[]): ChildProcess {
    const bin = containerBinDir(pod.dir, container.name, container.image ?? '')
    const [command, ...args] = this.rewriteAgentArgv(pod, container.name, argv)
    const env = {...this.containerEnv(pod, container), PATH: bin}
    return spawn(command!, args, {cwd: pod.dir, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true})
  }

  startContainer(
    pod: FakePod,
    container: V1Container | V1EphemeralContainer,
    list: 'containerStatuses' | 'ephemeralContainerStatuses',
  ): void {
    const runtime: ContainerRuntime = {timers: [], log: '', startedAt: now()}
    pod.runtimes.set(container.name, runtime)
    const statuses = (pod.object.status![list] ??= [])
    const setStatus = (status: V1ContainerStatus) => {
      const index = statuses.findIndex((s) => s.name === container.name)
      if (index >= 0) statuses[index] = status
      else statuses.push(status)
      this.refreshPhase(pod)
    }
    const terminated = (exitCode: number, reason?: string, message?: string) => {
      if (pod.deleted) return
      setStatus({
        name: container.name,
        image: container.image ?? '',
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            exitCode,
            reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
            startedAt: new Date(runtime.startedAt!),
            finishedAt: new Date(),
            ...(message ? {message} : {}),
          },
        },
      })
    }
    const fieldPath = list === 'containerStatuses' ? `spec.containers{${container.name}}` : `spec.ephemeralContainers{${container.name}}`
    this.recordEvent(pod.object, 'Normal', 'Created', `Created container: ${container.name}`, 'kubelet', fieldPath)
    const argv = [...(container.command ?? []), ...(container.args ?? [])]
    const simulatedDind = argv.length === 0 && /dind/.test(container.image ?? '')
    if (!simulatedDind && (argv.length > 0 || imageHasNode(container.image ?? ''))) {
      // A container with a command runs it here, with the image's view of PATH; dind cannot run unprivileged here.
      const child = this.spawnIn(pod, container, argv.length ? argv : ['node'])
      runtime.process = child
      child.stdout!.on('data', (chunk: Buffer) => (runtime.log += chunk.toString('utf8')))
      child.stderr!.on('data', (chunk: Buffer) => (runtime.log += chunk.toString('utf8')))
      child.stdin!.end()
      child.on('error', (error) => {
        this.recordEvent(
          pod.object,
          'Warning',
          'Failed',
          `Error: failed to create containerd task: exec: "${argv[0]}": ${error.message}`,
          'kubelet',
          fieldPath,
        )
        terminated(128, 'StartError', String(error.message))
      })
      child.on('exit', (code, signal) => {
        terminated(code ?? (signal === 'SIGKILL' ? 137 : 143))
      })
    } else if (simulatedDind) {
      const dind = this.dindBehaviour(pod, container)
      runtime.log = dind.log
      if (dind.exitAfterMs !== undefined) {
        runtime.timers.push(setTimeout(() => terminated(dind.exitCode ?? 1), dind.exitAfterMs))
      }
    }
    // Any other image without a command runs its own entrypoint, which the fake does not have: it just stays up.
    this.recordEvent(pod.object, 'Normal', 'Started', `Started container ${container.name}`, 'kubelet', fieldPath)
    setStatus({
      name: container.name,
      image: container.image ?? '',
      imageID: `${container.image}@sha256:${'0'.repeat(64)}`,
      ready: true,
      restartCount: 0,
      started: true,
      state: {running: {startedAt: new Date(runtime.startedAt!)}},
    })
  }

  private dindBehaviour(
    pod: FakePod,
    container: V1Container | V1EphemeralContainer,
  ): {exitAfterMs?: number; exitCode?: number; log: string} {
    if (this.kubelet.dind) return this.kubelet.dind(this.context(pod, container.name))
    if (container.securityContext?.privileged !== true) {
      return {
        exitAfterMs: 50,
        exitCode: 1,
        log:
          'mount: permission denied (are you root?)\nCould not mount /sys/kernel/security.\nAppArmor ' +
          'detection and --privileged mode might break.\n',
      }
    }
    const tls = (container.env ?? []).find((e) => e.name === 'DOCKER_TLS_CERTDIR')?.value !== ''
    return {log: `time="${now()}" level=info msg="API listen on [::]:${tls ? 2376 : 2375}"\n`}
  }

  /** Phase and conditions from the container states, as kubelet computes them for restartPolicy Never. */
  refreshPhase(pod: FakePod): void {
    const status = pod.object.status!
    const statuses = status.containerStatuses ?? []
    const all = pod.object.spec!.containers.length
    const running = statuses.filter((s) => s.state?.running).length
    const terminated = statuses.filter((s) => s.state?.terminated)
    const failed = terminated.some((s) => s.state!.terminated!.exitCode !== 0)
    if (status.phase === 'Failed' && status.reason === 'DeadlineExceeded') return
    if (terminated.length === all) status.phase = failed ? 'Failed' : 'Succeeded'
    else if (running + terminated.length === all) status.phase = 'Running'
    const ready = running === all
    const conditions = (status.conditions ?? []).filter((c) => c.type === 'PodScheduled')
    if (running + terminated.length === all) {
      conditions.push({type: 'Initialized', status: 'True', lastTransitionTime: new Date()})
      conditions.push({
        type: 'ContainersReady',
        status: ready ? 'True' : 'False',
        ...(ready ? {} : {reason: 'ContainersNotReady'}),
        lastTransitionTime: new Date(),
      })
      conditions.push({
        type: 'Ready',
        status: ready ? 'True' : 'False',
        ...(ready ? {} : {reason: 'ContainersNotReady'}),
        lastTransitionTime: new Date(),
      })
    }
    status.conditions = conditions
    if (
      status.phase === 'Running' &&
      pod.object.spec?.activeDeadlineSeconds &&
      !pod.timers.some((t) => (t as unknown as {deadline?: boolean}).deadline)
    ) {
      const timer = setTimeout(() => this.deadlineExceeded(pod), pod.object.spec.activeDeadlineSeconds * 1000)
      ;(timer as unknown as {deadline?: boolean}).deadline = true
      pod.timers.push(timer)
    }
  }

  private deadlineExceeded(pod: FakePod): void {
    if (pod.deleted) return
    this.stopProcesses(pod)
    pod.object.status!.phase = 'Failed'
    pod.object.status!.reason = 'DeadlineExceeded'
    pod.object.status!.message = `Pod was active on the node longer than the specified deadline`
    this.recordEvent(pod.object, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline', 'kubelet')
  }

  private stopProcesses(pod: FakePod): void {
    for (const timer of pod.timers) clearTimeout(timer)
    for (const runtime of pod.runtimes.values()) {
      for (const timer of runtime.timers) clearTimeout(timer)
      if (runtime.process) killContainerProcess(runtime.process)
    }
  }

  remove(namespace: string, name: string): FakePod | undefined {
    const pod = this.get(namespace, name)
    if (!pod) return undefined
    pod.deleted = true
    this.stopProcesses(pod)
    this.pods.delete(this.key(namespace, name))
    rmSync(pod.dir, {recursive: true, force: true})
    return pod
  }

  addEphemeral(pod: FakePod, container: V1EphemeralContainer): void {
    this.after(pod, this.kubelet.pullMs ?? 30, () => {
      if (!imageAvailable(container.image!, this.kubelet.images ?? DEFAULT_IMAGES)) {
        const statuses = (pod.object.status!.ephemeralContainerStatuses ??= [])
        statuses.push(this.waiting(container, 'ErrImagePull', `Failed to pull image "${container.image}"`))
        return
      }
      this.startContainer(pod, container, 'ephemeralContainerStatuses')
    })
  }

  close(): void {
    for (const pod of [...this.pods.values()]) this.remove(pod.object.metadata!.namespace!, pod.object.metadata!.name!)
    rmSync(this.root, {recursive: true, force: true})
  }
}

/**
 * Kills a container's whole process group (spawnIn makes each container process a group leader), even when the
 * leader has already exited: what it started may still run.
 */
export function killContainerProcess(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // the group is gone already
  }
}
