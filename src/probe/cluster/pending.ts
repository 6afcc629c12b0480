import type {CoreV1Event, V1Pod} from '@kubernetes/client-node'

/*
 * What a pod that has not started is waiting for, named for what it is. "ContainerCreating" covers very different
 * failures: the sandbox (CNI) cannot be set up, a volume cannot be mounted (a missing ConfigMap, Secret or PVC the
 * runner config names), images are still being pulled. The kubelet says which in the pod's events (reasons
 * FailedCreatePodSandBox, FailedMount, FailedAttachVolume, Pulling; kubelet/events/event.go).
 */

export interface PendingState {
  /** Short, stable kind, e.g. `unschedulable`, `volume-mount`, `sandbox`. */
  kind: 'not-scheduled' | 'unschedulable' | 'init-containers' | 'sandbox' | 'volume-mount' | 'pulling' | 'no-pod-ip' | 'creating'
  /** Completes "The probe pod did not start within Ns: …". */
  reason: string
  cause?: string
  remediation?: string
}

const when = (e: CoreV1Event): number => new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime()
// Timestamps have second resolution; the resourceVersion orders events written within the same second.
const order = (a: CoreV1Event, b: CoreV1Event): number =>
  when(a) - when(b) || Number(a.metadata?.resourceVersion ?? 0) - Number(b.metadata?.resourceVersion ?? 0)

/** The most recent event with one of these reasons: the pod moves, and its latest trouble is the one that holds it. */
const latest = (events: CoreV1Event[], reasons: string[]): CoreV1Event | undefined =>
  events
    .filter((e) => e.reason && reasons.includes(e.reason))
    .sort(order)
    .at(-1)

const MOUNT_REASONS = ['FailedMount', 'FailedAttachVolume']
const SANDBOX_REASONS = ['FailedCreatePodSandBox', 'NetworkNotReady']

/** The pending state of a pod from its status and (when read) its events; events are optional, the status alone still names the phase. */
export function pendingState(pod: V1Pod, events: CoreV1Event[] = []): PendingState {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')
  if (scheduled?.status === 'False') {
    return {kind: 'unschedulable', reason: `the pod cannot be scheduled: ${scheduled.message ?? scheduled.reason ?? 'no reason given'}`}
  }
  if (scheduled?.status !== 'True' && !pod.spec?.nodeName) return {kind: 'not-scheduled', reason: 'the pod has not been scheduled yet'}
  const node = pod.spec?.nodeName ?? 'its node'
  const trouble = latest(events, [...MOUNT_REASONS, ...SANDBOX_REASONS])
  if (trouble && MOUNT_REASONS.includes(trouble.reason!)) {
    return {
      kind: 'volume-mount',
      reason: `a volume cannot be mounted on ${node}: ${trouble.message ?? trouble.reason}`,
      cause:
        'A volume of the runner config (ConfigMap, Secret, PVC, CSI or host path) does not exist or ' +
        'cannot be attached; job pods stay in ContainerCreating the same way.',
      remediation: 'Create the object the message names in the job namespace, or fix the [[runners.kubernetes.volumes.*]] entry.',
    }
  }
  if (trouble) {
    return {
      kind: 'sandbox',
      reason: `the pod sandbox cannot be created on ${node}: ${trouble.message ?? trouble.reason}`,
      cause: 'The node cannot set up the pod network (CNI plugin failing, out of pod IPs) or the runtime class is missing there.',
      remediation: 'Check the CNI pods and IP capacity on that node (kubectl describe node), and the runtime_class_name of the runner.',
    }
  }
  const init = (pod.status?.initContainerStatuses ?? []).find((s) => !s.state?.terminated || s.state.terminated.exitCode !== 0)
  if (init && (pod.spec?.initContainers?.length ?? 0) > 0) {
    const waiting = init.state?.waiting?.reason
    const failed = init.state?.terminated
    return {
      kind: 'init-containers',
      reason: failed
        ? `init container "${init.name}" failed with exit code ${failed.exitCode}`
        : `init container "${init.name}" is ${waiting ? `waiting (${waiting})` : 'running'}`,
      ...(failed
        ? {
            cause: 'The init-permissions container (helper image) cannot prepare the shared volumes.',
            remediation: `Read its log: kubectl logs ${pod.metadata?.name ?? 'POD'} -c ${init.name}.`,
          }
        : {}),
    }
  }
  const pulling = latest(events, ['Pulling'])
  const creating = (pod.status?.containerStatuses ?? []).filter((s) => s.state?.waiting?.reason === 'ContainerCreating')
  if (pulling && creating.length) return {kind: 'pulling', reason: `images are being pulled on ${node} (${pulling.message ?? 'Pulling'})`}
  if (pod.status?.phase === 'Running' && !(pod.status.podIPs?.length || pod.status.podIP)) {
    return {
      kind: 'no-pod-ip',
      reason: `the pod runs on ${node} but has no pod IP`,
      cause: 'The CNI plugin gave the pod no address.',
      remediation: 'Check the CNI pods and IP capacity on that node.',
    }
  }
  return {kind: 'creating', reason: `the containers are being created on ${node}`}
}
