import {randomBytes} from 'node:crypto'
import type {V1Node, V1Pod} from '@kubernetes/client-node'
import type {AgentOptions} from '../agent/options.js'
import type {CheckResult, ClusterMode, ProbeReport} from '../types.js'
import {KubeError, type KubeApi, toKubeError} from './kube-api.js'
import {
  agentCommand,
  BUILD_CONTAINER,
  buildMirrorPod,
  buildMirrorPodWithNotes,
  DEFAULT_PROBE_IMAGE,
  type JobSettings,
  dindContainerName,
  EXPIRES_AT_ANNOTATION,
  PROBE_LABELS,
  PROBE_SELECTOR,
  RUN_ID_LABEL,
  runnerNamespace,
  type RunnerSettings,
  tolerationsFor,
} from './mirror-pod.js'
import {PodSpecPatchError} from '../../model/executor/pod-spec-patch.js'
import {degradedBy, describePermission, missingPermissions, type Permission, requiredPermissions, roleSnippet} from './preflight.js'
import {dindExitCheck} from '../checks/dind-container.js'
import {ephemeralAgentContainer} from './ephemeral.js'
import {findCauses} from '../report/causes.js'
import {summarize} from '../report/summary.js'
import {blockedReport, mergeNodeReports, parseAgentReport, tail} from './report.js'
import {waitForContainer, type WaitTimings} from './wait.js'
import {execRefusedFinding, noReportFinding} from './exec-diagnosis.js'
import {stdinAgentInvocation} from '../agent/stdin-framing.js'

export interface ClusterProbeOptions {
  /** Where the checks run: a pod like a job pod, an existing job pod (`ephemeral`: in a container added to it), every node. */
  mode: Exclude<ClusterMode, 'cleanup'>
  namespace?: string
  runner?: RunnerSettings
  /** Node image the checks run in (`--image`). */
  image?: string
  dindImage?: string
  dindTls?: boolean
  /** What the job adds to the mirror pod: `--no-dind`, `--var`, `--ci-file`/`--job` (see mirror-pod.ts). */
  job?: JobSettings
  /** job-pod, ephemeral: the job pod, by name or by `job.runner.gitlab.com/id`. */
  pod?: string
  jobId?: string
  agentOptions?: AgentOptions
  startTimeoutMs?: number
  /** How long the checks may run, and the pod's activeDeadlineSeconds. */
  runTimeoutMs?: number
  pollIntervalMs?: number
  parallelism?: number
  /** Checks made before the run (whose permissions were checked, the runner's own RBAC), added to the report. */
  extraChecks?: CheckResult[]
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown
  off(signal: NodeJS.Signals, listener: () => void): unknown
}

export interface ClusterDeps {
  kube: KubeApi
  /** The check program's source (see `buildAgentSource`). */
  agentSource: () => Promise<string>
  /** Progress lines for stderr. */
  progress: (message: string) => void
  signals?: SignalSource
  /** Used on a second Ctrl-C, when waiting for cleanup is not wanted. */
  exit?: (code: number) => void
  now?: () => Date
}

/** The run was stopped by SIGINT or SIGTERM; cleanup has run. */
export class ProbeInterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly leftovers: string[],
  ) {
    super(`Interrupted by ${signal}.`)
    this.name = 'ProbeInterruptedError'
  }

  get exitCode(): number {
    return this.signal === 'SIGTERM' ? 143 : 130
  }
}

class Interruption {
  readonly controller = new AbortController()
  signal?: NodeJS.Signals

  interrupt(signal: NodeJS.Signals): void {
    this.signal = signal
    this.controller.abort()
  }

  check(): void {
    if (this.signal) throw new ProbeInterruptedError(this.signal, [])
  }

  /** Stops waiting on a call once interrupted; the call itself may still finish in the background. */
  guard<T>(promise: Promise<T>): Promise<T> {
    this.check()
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new ProbeInterruptedError(this.signal!, []))
      this.controller.signal.addEventListener('abort', onAbort, {once: true})
      promise.then(
        (value) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error) => {
          this.controller.signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  sleep(ms: number): Promise<void> {
    return this.guard(new Promise((resolve) => setTimeout(resolve, ms)))
  }
}

/** Calls through this proxy stop waiting when the run is interrupted. */
function guarded(kube: KubeApi, interruption: Interruption): KubeApi {
  return new Proxy(kube, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => interruption.guard(Promise.resolve(value.apply(target, args)))
    },
  })
}

/** Tracks every pod this run may have created, so nothing is left behind whatever happens. */
class PodLedger {
  private readonly names = new Set<string>()
  private readonly creating = new Set<Promise<unknown>>()

  constructor(
    private readonly kube: KubeApi,
    private readonly namespace: string,
    private readonly progress: (message: string) => void,
  ) {}

  async create(pod: V1Pod): Promise<V1Pod> {
    // Recorded before the call: a create whose answer is lost may still have landed.
    this.names.add(pod.metadata!.name!)
    const call = this.kube.createPod(this.namespace, pod)
    this.creating.add(call)
    void call.catch(() => undefined).finally(() => this.creating.delete(call))
    return call
  }

  async deleteAll(): Promise<string[]> {
    // The timer is cleared: left armed it kept a finished run alive for 20 s (seen when the exit code is 0).
    let giveUp: NodeJS.Timeout | undefined
    await Promise.race([Promise.allSettled([...this.creating]), new Promise((resolve) => (giveUp = setTimeout(resolve, 20_000)))])
    clearTimeout(giveUp)
    const leftovers: string[] = []
    await Promise.all(
      [...this.names].map(async (name) => {
        try {
          const result = await this.kube.deletePod(this.namespace, name)
          if (result === 'deleted') this.progress(`Deleted pod ${name}.`)
          this.names.delete(name)
        } catch (error) {
          leftovers.push(name)
          this.progress(
            `Could not delete pod ${name}: ${toKubeError(error).message} Remove it with: runner-doctor probe --cleanup --namespace ${this.namespace}`,
          )
        }
      }),
    )
    return leftovers
  }

  pending(): string[] {
    return [...this.names]
  }
}

function newRunId(): string {
  return randomBytes(4).toString('hex')
}

function namespaceFor(options: ClusterProbeOptions, kube: KubeApi): string {
  return options.namespace ?? runnerNamespace(options.runner) ?? kube.defaultNamespace
}

function unreachableReport(mode: ProbeReport['mode'], error: KubeError, totalMs: number, kube: KubeApi): ProbeReport {
  return blockedReport(
    mode,
    {
      id: 'kube-api',
      summary: `The Kubernetes API of cluster "${kube.clusterName}" could not be used: ${error.message}`,
      evidence: [error.httpStatus ? `HTTP ${error.httpStatus} ${error.reason ?? ''}`.trim() : error.kind],
      cause:
        error.kind === 'unauthorized'
          ? 'The kubeconfig credentials are wrong or expired.'
          : error.transient
            ? 'The API server is down, unreachable from here, or overloaded.'
            : 'The API server refused a request the probe needs.',
      remediation:
        error.kind === 'unauthorized'
          ? 'Refresh the kubeconfig credentials and retry.'
          : error.transient
            ? 'Check the kubeconfig server address and your network path to it, then retry.'
            : 'Read the message above; it names what the API server objects to.',
    },
    totalMs,
  )
}

interface PreflightOutcome {
  denied?: Omit<CheckResult, 'status' | 'durationMs'>
  /** Optional permissions that are missing: the run goes on without what they give. */
  degraded: Permission[]
}

async function preflight(
  kube: KubeApi,
  namespace: string,
  mode: ClusterMode,
  findByJobId: boolean,
  progress: (m: string) => void,
): Promise<PreflightOutcome> {
  const permissions = requiredPermissions(mode, {findByJobId})
  progress(`Checking ${permissions.length} permissions in namespace ${namespace}${kube.identity?.as ? ` as ${kube.identity.as}` : ''}.`)
  const all = await missingPermissions(kube, namespace, permissions)
  const degraded = all.filter((p) => p.optional)
  if (degraded.length) progress(`${degradedBy(degraded)}.`)
  const missing = all.filter((p) => !p.optional)
  if (!missing.length) return {degraded}
  return {
    degraded,
    denied: {
      id: 'kube-permissions',
      summary: `Missing permission${missing.length === 1 ? '' : 's'} in namespace ${namespace}: ${missing.map(describePermission).join(', ')}.`,
      evidence: [...missing.map((p) => `${describePermission(p)}: needed ${p.why}`), roleSnippet(namespace, missing)],
      cause: kube.identity?.as
        ? `${kube.identity.as} is not bound to a Role granting what the probe needs.`
        : 'The kubeconfig user or service account is not bound to a Role granting what the probe needs.',
      remediation: `Apply examples/probe-rbac.yaml in namespace ${namespace} (or add the rules above to your Role) and bind it to ${kube.identity?.as ?? 'your user'}.`,
    },
  }
}

/** A warning naming the optional permissions that are missing and what the report lacks because of them. */
function degradedCheck(degraded: Permission[], namespace: string): CheckResult {
  return {
    id: 'kube-permissions-optional',
    status: 'warn',
    summary: `Optional permission${degraded.length === 1 ? '' : 's'} missing in namespace ${namespace}: ${degraded.map(describePermission).join(', ')}; the report has less evidence.`,
    evidence: degraded.map((p) => `${describePermission(p)}: ${p.why}`),
    remediation: `Grant ${degraded.map(describePermission).join(', ')} (examples/probe-rbac.yaml has them).`,
    durationMs: 0,
  }
}

function withExtraChecks(report: ProbeReport, extra: CheckResult[]): ProbeReport {
  if (!extra.length || (report.summary.exitCode === 2 && report.checks.length === 0)) return report
  // After the run's own checks: a blocked report's first check stays the one that blocked it.
  const checks = [...report.checks, ...extra]
  const causes = findCauses(checks)
  return {
    ...report,
    checks,
    causes,
    summary: {...summarize(checks, causes), ...(report.summary.exitCode === 2 ? {exitCode: 2 as const} : {})},
  }
}

const POD_SECURITY_LEVEL = /violates PodSecurity "([a-z]+):([^"]+)"/

/** Turns an admission refusal into a finding that names the namespace label to change. */
function admissionFinding(error: KubeError, namespace: string): Omit<CheckResult, 'status' | 'durationMs'> {
  const podSecurity = POD_SECURITY_LEVEL.exec(error.message)
  if (podSecurity) {
    const [, level, version] = podSecurity
    return {
      id: 'kube-admission',
      summary: `PodSecurity refuses the probe pod in namespace ${namespace}: the namespace label pod-security.kubernetes.io/enforce=${level} (version ${version}) forbids what dind needs.`,
      evidence: [error.message],
      cause: `Docker-in-Docker needs a privileged container, which the "${level}" Pod Security level rejects; job pods with a dind service are rejected the same way.`,
      remediation: `Run jobs (and the probe) in a namespace labelled pod-security.kubernetes.io/enforce=privileged, or build images without dind (BuildKit rootless, Buildah).`,
    }
  }
  if (error.kind === 'invalid') {
    return {
      id: 'kube-admission',
      summary: `The API server rejects the pod built from the runner settings as invalid: ${error.message}`,
      evidence: [error.message],
      cause: 'The runner configuration produces an invalid pod spec; job pods fail the same way.',
      remediation: 'Fix the [runners.kubernetes] settings named in the message.',
    }
  }
  return {
    id: 'kube-admission',
    summary: `Admission refuses the probe pod in namespace ${namespace}: ${error.message}`,
    evidence: [error.message],
    cause: 'An admission controller (quota, LimitRange, policy webhook) rejects pods shaped like job pods.',
    remediation: 'Read the message above; adjust the runner settings or the policy that rejects them.',
  }
}

interface MirrorRun {
  kube: KubeApi
  ledger: PodLedger
  interruption: Interruption
  options: ClusterProbeOptions
  deps: ClusterDeps
  namespace: string
  runId: string
  agentSource: string
}

function waitSettings(run: MirrorRun) {
  return {
    startTimeoutMs: run.options.startTimeoutMs ?? 180_000,
    runTimeoutMs: run.options.runTimeoutMs ?? 300_000,
    pollIntervalMs: run.options.pollIntervalMs ?? 1000,
    progress: run.deps.progress,
    sleep: (ms: number) => run.interruption.sleep(ms),
  }
}

async function runMirrorPod(run: MirrorRun, name: string, hostname?: string): Promise<{report: ProbeReport; node?: string}> {
  const {kube, options, deps, namespace} = run
  const started = Date.now()
  const runTimeoutMs = options.runTimeoutMs ?? 300_000
  const pod = buildMirrorPod({
    runner: options.runner ?? {},
    runId: run.runId,
    name,
    namespace,
    agentSource: run.agentSource,
    agentOptions: {gitlabUrl: options.runner?.url, certDir: '/certs/client', ...options.agentOptions},
    probeImage: options.image,
    dindImage: options.dindImage,
    dindTls: options.dindTls,
    ...options.job,
    deadlineSeconds: Math.ceil((runTimeoutMs + (options.startTimeoutMs ?? 180_000)) / 1000),
    now: (deps.now ?? (() => new Date()))(),
    hostname,
  })
  deps.progress(`Creating pod ${name} in namespace ${namespace}${hostname ? ` on node ${hostname}` : ''}.`)
  await run.ledger.create(pod)
  const dind = dindContainerName(pod)
  const extraChecks: CheckResult[] = []
  const outcome = await waitForContainer(kube, {
    namespace,
    pod: name,
    container: BUILD_CONTAINER,
    sidecar: dind,
    ...waitSettings(run),
    onSidecarExit: async (status) => {
      const log = await kube.readPodLog(namespace, name, status.name, {tailLines: 20}).catch(() => '')
      extraChecks.push(dindExitCheck(status.name, status.state?.terminated?.exitCode, log))
    },
  })
  const target = {namespace, pod: name, nodes: outcome.timings.node ? [outcome.timings.node] : undefined}
  if (outcome.kind === 'failed') {
    const blocked = blockedReport(
      'mirror-pod',
      {id: 'pod-start', summary: outcome.summary, evidence: outcome.evidence, cause: outcome.cause, remediation: outcome.remediation},
      Date.now() - started,
      target,
    )
    return {report: withTimings(blocked, outcome.timings, undefined, started), node: outcome.timings.node}
  }
  const log = await kube.readPodLog(namespace, name, BUILD_CONTAINER)
  const agentReport = parseAgentReport(log)
  if (!agentReport) {
    const blocked = blockedReport(
      'mirror-pod',
      {
        id: 'probe-agent',
        summary: `The check program exited with code ${outcome.exitCode} without printing a report.`,
        evidence: tail(log),
        cause: 'The Node image could not run the check program (too old a Node, or a broken image).',
        remediation: `Use --image with a Node 18 or newer image (default ${DEFAULT_PROBE_IMAGE}).`,
      },
      Date.now() - started,
      target,
    )
    return {report: withTimings(blocked, outcome.timings, undefined, started), node: outcome.timings.node}
  }
  return {
    report: withTimings(combine('mirror-pod', agentReport, extraChecks, target), outcome.timings, agentReport, started),
    node: outcome.timings.node,
  }
}

function combine(mode: ProbeReport['mode'], agentReport: ProbeReport, extra: CheckResult[], target: ProbeReport['target']): ProbeReport {
  const checks = [...extra, ...agentReport.checks]
  // Causes are found again over every check: a check from this side (dind exited) may explain the agent's ones.
  const causes = findCauses(checks)
  const summary = {...summarize(checks, causes), ...(agentReport.summary.exitCode === 2 ? {exitCode: 2 as const} : {})}
  return {...agentReport, mode, target, checks, causes, summary}
}

function withTimings(report: ProbeReport, timings: WaitTimings, agentReport: ProbeReport | undefined, started: number): ProbeReport {
  const dindReady = agentReport?.timings.dindReadyMs
  return {
    ...report,
    timings: {
      ...(timings.scheduledMs !== undefined ? {scheduledMs: timings.scheduledMs} : {}),
      ...(timings.startedMs !== undefined ? {startedMs: timings.startedMs} : {}),
      ...(dindReady !== undefined && timings.startedMs !== undefined ? {dindReadyMs: timings.startedMs + dindReady} : {}),
      ...(agentReport?.timings.checksMs !== undefined ? {checksMs: agentReport.timings.checksMs} : {}),
      totalMs: Date.now() - started,
    },
  }
}

async function dryRun(kube: KubeApi, namespace: string, run: MirrorRun, mode: ProbeReport['mode']): Promise<ProbeReport | undefined> {
  let built: ReturnType<typeof buildMirrorPodWithNotes>
  try {
    built = buildMirrorPodWithNotes({
      runner: run.options.runner ?? {},
      runId: run.runId,
      name: `rd-probe-${run.runId}`,
      namespace,
      agentSource: run.agentSource,
      agentOptions: run.options.agentOptions ?? {},
      probeImage: run.options.image,
      dindImage: run.options.dindImage,
      dindTls: run.options.dindTls,
      ...run.options.job,
      deadlineSeconds: 60,
      now: new Date(),
    })
  } catch (error) {
    if (!(error instanceof PodSpecPatchError)) throw error
    return blockedReport(
      mode,
      {
        id: 'pod-spec-patch',
        summary: error.message,
        evidence: [],
        cause: 'The runner applies pod_spec patches before it creates the job pod; this one fails, so every job fails the same way.',
        remediation: 'Fix the [[runners.kubernetes.pod_spec]] entry named above.',
      },
      0,
      {namespace},
    )
  }
  const {pod, notes} = built
  for (const note of notes) run.deps.progress(note)
  run.deps.progress('Asking the API server to admit the pod (server-side dry run).')
  try {
    await kube.createPod(namespace, pod, {dryRun: true})
    return undefined
  } catch (error) {
    const failure = toKubeError(error)
    if (failure.kind === 'forbidden' || failure.kind === 'invalid' || failure.kind === 'conflict') {
      return blockedReport(mode, admissionFinding(failure, namespace), 0, {namespace})
    }
    throw failure
  }
}

function schedulableNodes(
  nodes: V1Node[],
  runner: RunnerSettings | undefined,
  progress: (m: string) => void,
): {name: string; hostname: string}[] {
  const selector = runner?.kubernetes?.node_selector
  const wanted = selector && typeof selector === 'object' ? (selector as Record<string, string>) : {}
  const tolerations = tolerationsFor(runner?.kubernetes?.node_tolerations)
  const result: {name: string; hostname: string}[] = []
  for (const node of nodes) {
    const name = node.metadata?.name ?? ''
    const labels = node.metadata?.labels ?? {}
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
    if (node.spec?.unschedulable || !ready) {
      progress(`Skipping node ${name}: it is ${node.spec?.unschedulable ? 'cordoned' : 'not Ready'}.`)
      continue
    }
    if (Object.entries(wanted).some(([k, v]) => labels[k] !== v)) continue
    const blocking = (node.spec?.taints ?? []).find(
      (taint) =>
        taint.effect !== 'PreferNoSchedule' &&
        !tolerations.some(
          (t) => t.key === taint.key && (t.operator === 'Exists' || t.value === taint.value) && (!t.effect || t.effect === taint.effect),
        ),
    )
    if (blocking) {
      progress(
        `Skipping node ${name}: the runner does not tolerate its taint ${blocking.key}${blocking.value ? `=${blocking.value}` : ''}:${blocking.effect}.`,
      )
      continue
    }
    result.push({name, hostname: labels['kubernetes.io/hostname'] ?? name})
  }
  return result
}

async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({length: Math.min(limit, items.length)}, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await work(items[index]!)
      }
    }),
  )
  return results
}

const JOB_ID_ANNOTATION = 'job.runner.gitlab.com/id'

async function findJobPod(kube: KubeApi, namespace: string, options: ClusterProbeOptions): Promise<V1Pod | string> {
  if (options.pod) {
    try {
      return await kube.readPod(namespace, options.pod)
    } catch (error) {
      if (toKubeError(error).kind === 'not-found') return `Pod ${options.pod} does not exist in namespace ${namespace}.`
      throw error
    }
  }
  const pods = await kube.listPods(namespace)
  const match = pods.find((p) => p.metadata?.annotations?.[JOB_ID_ANNOTATION] === options.jobId)
  return (
    match ??
    `No pod in namespace ${namespace} has the annotation ${JOB_ID_ANNOTATION}=${options.jobId}; the job may have finished or run elsewhere.`
  )
}

async function runInJobPod(run: MirrorRun): Promise<ProbeReport> {
  const {kube, options, deps, namespace} = run
  const started = Date.now()
  const found = await findJobPod(kube, namespace, options)
  if (typeof found === 'string') {
    return blockedReport(
      'job-pod',
      {id: 'job-pod', summary: found, evidence: [], remediation: 'Pass --pod with a running job pod, or --job-id of a running job.'},
      Date.now() - started,
      {namespace},
    )
  }
  const podName = found.metadata!.name!
  const target = {namespace, pod: podName, nodes: found.spec?.nodeName ? [found.spec.nodeName] : undefined}
  if (found.status?.phase !== 'Running') {
    return blockedReport(
      'job-pod',
      {
        id: 'job-pod',
        summary: `Pod ${podName} is ${found.status?.phase ?? 'in an unknown phase'}, not Running.`,
        evidence: [],
        remediation: 'Attach while the job runs.',
      },
      Date.now() - started,
      target,
    )
  }
  const agentOptions: AgentOptions = {dindWaitMs: 5000, certDir: '/certs/client', ...options.agentOptions}
  const running = (found.status.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name)
  const ordered = [...running].sort((a, b) => Number(b === BUILD_CONTAINER) - Number(a === BUILD_CONTAINER))
  for (const container of ordered) {
    const viaLoopbackHttp = kube.plainHttpLoopback === true
    let probe
    try {
      probe = await kube.exec(namespace, podName, container, ['sh', '-c', 'command -v node && node --version'], {timeoutMs: 15_000})
    } catch (error) {
      return blockedReport(
        'job-pod',
        execRefusedFinding(toKubeError(error), container, podName, viaLoopbackHttp),
        Date.now() - started,
        target,
      )
    }
    const [nodePath, nodeVersion] = probe.stdout.trim().split('\n')
    if (probe.exitCode !== 0 || !nodePath) continue
    deps.progress(
      `Running the checks in container ${container} of pod ${podName} (node at ${nodePath})${nodeVersion ? `, node ${nodeVersion}` : ''}.`,
    )
    // The program goes through stdin: as an exec argument it would bloat the request URL past server limits.
    const invocation = stdinAgentInvocation(run.agentSource, JSON.stringify(agentOptions))
    const result = await kube.exec(namespace, podName, container, invocation.command, {
      stdin: invocation.stdin,
      timeoutMs: options.runTimeoutMs ?? 300_000,
    })
    const report = parseAgentReport(result.stdout)
    if (!report)
      return blockedReport('job-pod', noReportFinding(result, container, nodeVersion, viaLoopbackHttp), Date.now() - started, target)
    return {...combine('job-pod', report, [], target), timings: {...report.timings, totalMs: Date.now() - started}}
  }
  if (options.mode !== 'ephemeral') {
    return blockedReport(
      'job-pod',
      {
        id: 'job-pod',
        summary: `No running container in pod ${podName} has node (looked in: ${ordered.join(', ') || 'none'}).`,
        evidence: [],
        remediation:
          'Rerun with --ephemeral to add a Node container to the pod (it stays until the pod ends), or use the default mirror pod.',
      },
      Date.now() - started,
      target,
    )
  }
  const name = `rd-probe-${run.runId}`
  deps.progress(`Adding ephemeral container ${name} to pod ${podName}. Kubernetes cannot remove it: it stays until the pod ends.`)
  const ephemeral = ephemeralAgentContainer(found, {
    name,
    image: options.image ?? DEFAULT_PROBE_IMAGE,
    command: agentCommand(run.agentSource, agentOptions),
  })
  if (ephemeral.leftOut.length)
    deps.progress(`Not mounted in the ephemeral container (the API server forbids subPath there): ${ephemeral.leftOut.join(', ')}.`)
  await kube.patchEphemeralContainers(namespace, podName, [ephemeral.container])
  const outcome = await waitForContainer(kube, {
    namespace,
    pod: podName,
    container: name,
    ephemeral: true,
    ...waitSettings(run),
  })
  if (outcome.kind === 'failed') {
    return blockedReport(
      'ephemeral',
      {id: 'pod-start', summary: outcome.summary, evidence: outcome.evidence, cause: outcome.cause, remediation: outcome.remediation},
      Date.now() - started,
      target,
    )
  }
  const log = await kube.readPodLog(namespace, podName, name)
  const report = parseAgentReport(log)
  if (!report) {
    return blockedReport(
      'ephemeral',
      {id: 'probe-agent', summary: `The check program exited with code ${outcome.exitCode} without a report.`, evidence: tail(log)},
      Date.now() - started,
      target,
    )
  }
  return withTimings(combine('ephemeral', report, [], target), outcome.timings, report, started)
}

/**
 * Runs the checks in the cluster: in a pod shaped like a job pod (default), in an existing job pod, or in one
 * pod per node. Always removes the pods it created, also on SIGINT/SIGTERM (then it throws ProbeInterruptedError).
 */
export async function runClusterProbe(options: ClusterProbeOptions, deps: ClusterDeps): Promise<ProbeReport> {
  const started = Date.now()
  const interruption = new Interruption()
  const signals = deps.signals ?? process
  const kube = guarded(deps.kube, interruption)
  const namespace = namespaceFor(options, deps.kube)
  const ledger = new PodLedger(deps.kube, namespace, deps.progress)
  const onSignal = (signal: NodeJS.Signals) => () => {
    if (!interruption.signal) {
      deps.progress(`Interrupted by ${signal}: cleaning up (press Ctrl-C again to quit without cleanup).`)
      interruption.interrupt(signal)
      return
    }
    const leftovers = ledger.pending()
    deps.progress(
      leftovers.length
        ? `Quitting without cleanup; left behind: ${leftovers.join(', ')}. Remove with: runner-doctor probe --cleanup --namespace ${namespace}`
        : 'Quitting.',
    )
    ;(deps.exit ?? process.exit)(signal === 'SIGTERM' ? 143 : 130)
  }
  const handlers = {SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM')}
  signals.on('SIGINT', handlers.SIGINT)
  signals.on('SIGTERM', handlers.SIGTERM)
  try {
    const runId = newRunId()
    const {denied, degraded} = await preflight(kube, namespace, options.mode, Boolean(options.jobId && !options.pod), deps.progress)
    if (denied) return withExtraChecks(blockedReport(options.mode, denied, Date.now() - started, {namespace}), options.extraChecks ?? [])
    const extra = [...(options.extraChecks ?? []), ...(degraded.length ? [degradedCheck(degraded, namespace)] : [])]
    const agentSource = await interruption.guard(deps.agentSource())
    const run: MirrorRun = {kube, ledger, interruption, options, deps, namespace, runId, agentSource}
    if (options.mode === 'job-pod' || options.mode === 'ephemeral') return withExtraChecks(await runInJobPod(run), extra)

    if (!degraded.some((p) => p.verb === 'list' && p.resource === 'pods')) {
      const swept = await cleanupLeftovers({namespace, expiredOnly: true, now: deps.now?.()}, {kube, progress: deps.progress})
      if (swept.deleted.length) deps.progress(`Removed ${swept.deleted.length} expired probe pod(s) from earlier runs.`)
    }
    const refused = await dryRun(kube, namespace, run, options.mode)
    if (refused) return withExtraChecks({...refused, timings: {totalMs: Date.now() - started}}, options.extraChecks ?? [])
    if (options.mode === 'mirror-pod') return withExtraChecks((await runMirrorPod(run, `rd-probe-${runId}`)).report, extra)

    const nodes = schedulableNodes(await kube.listNodes(), options.runner, deps.progress)
    if (!nodes.length) {
      return blockedReport(
        'all-nodes',
        {
          id: 'nodes',
          summary: 'No schedulable node matches the runner node_selector and tolerations.',
          evidence: [],
          remediation: 'Check node_selector and node_tolerations against the node labels and taints.',
        },
        Date.now() - started,
        {namespace},
      )
    }
    deps.progress(`Probing ${nodes.length} node(s), ${Math.min(options.parallelism ?? 3, nodes.length)} at a time.`)
    const reports = await inBatches(nodes, options.parallelism ?? 3, async (node, index = nodes.indexOf(node)) => {
      const {report} = await runMirrorPod(run, `rd-probe-${runId}-${index}`, node.hostname)
      return {node: node.name, report}
    })
    return withExtraChecks(mergeNodeReports(reports, Date.now() - started, namespace), extra)
  } catch (error) {
    if (error instanceof ProbeInterruptedError) throw error
    const failure = toKubeError(error)
    if (failure.kind === 'other' && !(error instanceof KubeError) && !(error as {code?: unknown})?.code) throw error
    return unreachableReport(options.mode, failure, Date.now() - started, deps.kube)
  } finally {
    const leftovers = await ledger.deleteAll()
    signals.off('SIGINT', handlers.SIGINT)
    signals.off('SIGTERM', handlers.SIGTERM)
    if (interruption.signal) {
      // eslint-disable-next-line no-unsafe-finally
      throw new ProbeInterruptedError(interruption.signal, leftovers)
    }
  }
}

export interface CleanupResult {
  deleted: string[]
  failed: string[]
  kept: string[]
}

/**
 * Removes probe pods found by label: all of them, or with `expiredOnly` only those past their
 * `runner-doctor/expires-at` annotation (what every run does first).
 */
export async function cleanupLeftovers(
  options: {namespace: string; expiredOnly?: boolean; now?: Date},
  deps: {kube: KubeApi; progress: (message: string) => void},
): Promise<CleanupResult> {
  const now = (options.now ?? new Date()).getTime()
  const pods = await deps.kube.listPods(options.namespace, PROBE_SELECTOR)
  const result: CleanupResult = {deleted: [], failed: [], kept: []}
  for (const pod of pods) {
    const name = pod.metadata!.name!
    const labels = pod.metadata?.labels ?? {}
    // The selector already matched; checked again so a server that ignores selectors cannot widen the sweep.
    if (labels['app.kubernetes.io/managed-by'] !== PROBE_LABELS['app.kubernetes.io/managed-by'] || labels['runner-doctor/probe'] !== 'true')
      continue
    const expiresAt = Date.parse(pod.metadata?.annotations?.[EXPIRES_AT_ANNOTATION] ?? '')
    if (options.expiredOnly && !(expiresAt < now)) {
      result.kept.push(name)
      continue
    }
    try {
      await deps.kube.deletePod(options.namespace, name)
      result.deleted.push(name)
      deps.progress(`Deleted probe pod ${name} (run ${labels[RUN_ID_LABEL] ?? 'unknown'}).`)
    } catch (error) {
      result.failed.push(name)
      deps.progress(`Could not delete probe pod ${name}: ${toKubeError(error).message}`)
    }
  }
  return result
}
