import type {CoreV1Event, V1ContainerStatus, V1Pod} from '@kubernetes/client-node'
import {type KubeApi, toKubeError} from './kube-api.js'
import {type PendingState, pendingState} from './pending.js'

/** Container states the kubernetes executor treats as fatal (`CheckTerminalContainerErrors`). */
export const FATAL_WAITING_REASONS = new Set([
  'InvalidImageName',
  // imagePullPolicy Never and the image is not on the node: no retry can help.
  'ErrImageNeverPull',
  'ErrImagePull',
  'ImagePullBackOff',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
])

export interface WaitTimings {
  scheduledMs?: number
  startedMs?: number
  node?: string
}

export type WaitOutcome =
  | {kind: 'finished'; pod: V1Pod; exitCode: number; timings: WaitTimings}
  | {kind: 'failed'; summary: string; evidence: string[]; cause: string; remediation: string; timings: WaitTimings}

export interface WaitOptions {
  namespace: string
  pod: string
  /** The container whose end means the checks are done. */
  container: string
  /** A container that should stay up (dind); its early exit is reported. */
  sidecar?: string
  ephemeral?: boolean
  startTimeoutMs: number
  runTimeoutMs: number
  pollIntervalMs: number
  progress: (message: string) => void
  sleep: (ms: number) => Promise<void>
  /** Called with the sidecar's exit, once. */
  onSidecarExit?: (status: V1ContainerStatus) => Promise<void> | void
}

function statusOf(pod: V1Pod, name: string, ephemeral: boolean | undefined): V1ContainerStatus | undefined {
  const list = ephemeral ? pod.status?.ephemeralContainerStatuses : pod.status?.containerStatuses
  return list?.find((s) => s.name === name)
}

function describeEvent(event: CoreV1Event): string {
  const count = event.count && event.count > 1 ? ` (x${event.count})` : ''
  return `${event.type ?? 'Normal'} ${event.reason ?? ''}${count}: ${event.message ?? ''}`.trim()
}

async function eventsFor(kube: KubeApi, namespace: string, pod: string, filter: (e: CoreV1Event) => boolean): Promise<string[]> {
  return (await podEvents(kube, namespace, pod)).filter(filter).slice(-8).map(describeEvent)
}

/** The pod's events; none when they cannot be read (list events is optional). */
async function podEvents(kube: KubeApi, namespace: string, pod: string): Promise<CoreV1Event[]> {
  try {
    return await kube.listEvents(namespace, pod)
  } catch {
    return []
  }
}

function imageRemedy(reason: string, image: string | undefined): string {
  if (reason === 'InvalidImageName') return `Fix the image name "${image}".`
  if (reason === 'ErrImageNeverPull')
    return `The pull policy is Never and "${image}" is not on the node: pre-load it on every node, or set the pull policy to IfNotPresent.`
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff')
    return (
      `Check that "${image}" exists and that the cluster can pull it (registry reachable, image_pull_secrets ` +
      `set); pass --image with a mirror for air-gapped clusters.`
    )
  if (reason === 'CrashLoopBackOff') return 'Read the container log (kubectl logs --previous) and fix what makes it exit.'
  return 'Read the events of the pod and fix the container configuration.'
}

/** How often the pod's events are read while it is not started. */
const EVENTS_EVERY_MS = 2000

/**
 * Polls the pod (no watch: a watch needs another verb and the client's watches drop) until the container
 * ends, reporting scheduling failures, pull errors and crash loops as they appear.
 */
export async function waitForContainer(kube: KubeApi, options: WaitOptions): Promise<WaitOutcome> {
  const started = Date.now()
  const timings: WaitTimings = {}
  const reported = new Set<string>()
  const say = (message: string) => {
    if (reported.has(message)) return
    reported.add(message)
    options.progress(message)
  }
  let lastPending = 'the pod has not been scheduled yet'
  let pending: PendingState | undefined
  // Events name what ContainerCreating hides (mounts, sandbox, pulls); read every few seconds, not every poll.
  let pendingEvents: CoreV1Event[] = []
  let eventsReadAt = 0
  let sidecarReported = false
  for (;;) {
    let pod: V1Pod
    try {
      pod = await kube.readPod(options.namespace, options.pod)
    } catch (error) {
      const failure = toKubeError(error)
      // Each read already retried; an API server having a bad minute should not end the probe before its deadline.
      if (!failure.transient || Date.now() - started > options.startTimeoutMs + options.runTimeoutMs) throw failure
      say(`Reading pod ${options.pod} failed (${failure.message}); trying again.`)
      await options.sleep(options.pollIntervalMs)
      continue
    }
    const elapsed = Date.now() - started
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')
    if (scheduled?.status === 'True' && timings.scheduledMs === undefined) {
      timings.scheduledMs = elapsed
      timings.node = pod.spec?.nodeName
      say(`Pod ${options.pod} scheduled on node ${pod.spec?.nodeName ?? 'unknown'} after ${(elapsed / 1000).toFixed(1)}s.`)
    }
    if (scheduled?.status === 'False' && !options.ephemeral) {
      lastPending = `the pod cannot be scheduled: ${scheduled.message ?? scheduled.reason ?? 'no reason given'}`
      say(`Pod ${options.pod} cannot be scheduled: ${scheduled.message ?? scheduled.reason}`)
      if (elapsed > options.startTimeoutMs) {
        // Events are read only for the report: polling them every tick cost one API call per second per pod.
        const events = await eventsFor(kube, options.namespace, options.pod, (e) => e.reason === 'FailedScheduling')
        return {
          kind: 'failed',
          summary:
            `The probe pod was not scheduled ` +
            `within ${Math.round(options.startTimeoutMs / 1000)}s: ${scheduled.message ?? scheduled.reason}`,
          evidence: events.length ? events : [`PodScheduled=False ${scheduled.reason ?? ''}: ${scheduled.message ?? ''}`],
          cause:
            'No node satisfies the pod: its resource requests, node_selector or tolerations (the same ' +
            'ones job pods get) rule them all out.',
          remediation:
            'Lower the runner resource requests, fix node_selector/node_tolerations, or add capacity; ' +
            'job pods with these settings stay Pending too.',
          timings,
        }
      }
    }
    for (const status of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])]) {
      const waiting = status.state?.waiting
      if (waiting?.reason && FATAL_WAITING_REASONS.has(waiting.reason)) {
        const image = status.image
        const events = await eventsFor(kube, options.namespace, options.pod, (e) => e.type === 'Warning' || e.reason === 'BackOff')
        return {
          kind: 'failed',
          summary: `Container "${status.name}" cannot start: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}.`,
          evidence: events.length ? events : [`${status.name}: ${waiting.reason} ${waiting.message ?? ''}`.trim()],
          cause: waiting.reason.includes('Image')
            ? `The image "${image}" cannot be pulled on node ${pod.spec?.nodeName ?? 'unknown'}.`
            : `Container "${status.name}" keeps failing.`,
          remediation: imageRemedy(waiting.reason, image),
          timings,
        }
      }
      if (waiting?.reason && waiting.reason !== 'ContainerCreating')
        lastPending = `container "${status.name}" is waiting: ${waiting.reason}`
    }
    if (timings.startedMs === undefined && (scheduled?.status === 'True' || pod.spec?.nodeName)) {
      if (Date.now() - eventsReadAt >= EVENTS_EVERY_MS) {
        eventsReadAt = Date.now()
        pendingEvents = await podEvents(kube, options.namespace, options.pod)
      }
      const state = pendingState(pod, pendingEvents)
      if (state.kind !== 'creating' || !/is waiting: /.test(lastPending)) {
        pending = state
        lastPending = state.reason
        if (state.kind !== 'creating') say(`Pod ${options.pod}: ${state.reason}.`)
      }
    }
    const target = statusOf(pod, options.container, options.ephemeral)
    if ((target?.state?.running || target?.state?.terminated) && timings.startedMs === undefined) {
      timings.startedMs = elapsed
      say(
        `Running the checks in ${options.ephemeral ? `ephemeral container ${options.container} of ${options.pod}` : `pod ${options.pod}`}.`,
      )
    }
    if (options.sidecar && !sidecarReported) {
      const sidecar = statusOf(pod, options.sidecar, false)
      if (sidecar?.state?.terminated) {
        sidecarReported = true
        say(
          `The ${options.sidecar} service container exited with code ${sidecar.state.terminated.exitCode} ` +
            `(${sidecar.state.terminated.reason ?? 'no reason'}).`,
        )
        await options.onSidecarExit?.(sidecar)
      }
    }
    if (target?.state?.terminated) {
      return {kind: 'finished', pod, exitCode: target.state.terminated.exitCode, timings}
    }
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      return {
        kind: 'failed',
        summary:
          `The probe pod ended (${pod.status.phase}${pod.status.reason ? `, ${pod.status.reason}` : ''}) ` + `before the checks finished.`,
        evidence: [pod.status.message ?? `phase ${pod.status.phase}`],
        cause: pod.status.reason === 'DeadlineExceeded' ? 'The pod hit its activeDeadlineSeconds.' : 'The pod stopped early.',
        remediation:
          pod.status.reason === 'DeadlineExceeded'
            ? 'Raise --checks-timeout (the pod deadline is --start-timeout plus --checks-timeout), or read ' +
              'the pod events for what stopped it.'
            : 'Read the pod events for what stopped it.',
        timings,
      }
    }
    if (timings.startedMs === undefined && elapsed > options.startTimeoutMs) {
      const events = await eventsFor(kube, options.namespace, options.pod, () => true)
      return {
        kind: 'failed',
        summary: `The probe pod did not start within ${Math.round(options.startTimeoutMs / 1000)}s: ${lastPending}.`,
        evidence: events.length ? events : [`phase ${pod.status?.phase ?? 'unknown'}`],
        cause:
          pending?.cause ??
          'Scheduling or image pulls are slower than the wait; jobs would time out the same way ("timed out waiting for pod to start").',
        remediation: pending?.remediation ?? 'Raise --start-timeout and the runner poll_timeout, or pre-pull the images on the nodes.',
        timings,
      }
    }
    if (timings.startedMs !== undefined && elapsed - timings.startedMs > options.runTimeoutMs) {
      return {
        kind: 'failed',
        summary: `The checks did not finish within ${Math.round(options.runTimeoutMs / 1000)}s.`,
        evidence: [`container ${options.container} still running`],
        cause: 'The check program hangs, most likely on the network.',
        remediation:
          'Raise --checks-timeout, or run the probe with --format json and look at the last progress ' +
          'line (--timeout is per DNS query and connection, not for the whole run).',
        timings,
      }
    }
    await options.sleep(options.pollIntervalMs)
  }
}
