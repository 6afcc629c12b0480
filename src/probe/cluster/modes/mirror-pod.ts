import {PodSpecPatchError} from '../../../model/executor/pod-spec-patch.js'
import {dindExitCheck} from '../../checks/dind-container.js'
import type {CheckResult, ProbeReport} from '../../types.js'
import {cleanupLeftovers} from '../cleanup.js'
import {type KubeError, toKubeError} from '../kube-api.js'
import {BUILD_CONTAINER, buildMirrorPod, buildMirrorPodWithNotes, DEFAULT_PROBE_IMAGE, dindContainerName} from '../mirror-pod.js'
import {blockedReport, combine, parseAgentReport, tail, withTimings} from '../report.js'
import {type ClusterRun, waitSettings} from '../run.js'
import {waitForContainer} from '../wait.js'

/**
 * Before the first mirror pod: the expired probe pods of earlier runs go (when pods may be listed), and the API server
 * is asked to admit the pod. Returns the report of a pod it refuses.
 */
export async function prepareMirrorPods(run: ClusterRun, mayListPods: boolean): Promise<ProbeReport | undefined> {
  const {kube, namespace, deps} = run
  if (mayListPods) {
    const swept = await cleanupLeftovers({namespace, expiredOnly: true, now: deps.now?.()}, {kube, progress: deps.progress})
    if (swept.deleted.length) deps.progress(`Removed ${swept.deleted.length} expired probe pod(s) from earlier runs.`)
  }
  return dryRun(run)
}

/** Creates a pod shaped like the runner's job pods (on the node `hostname`, if given), waits for it, and reads its report. */
export async function runMirrorPod(run: ClusterRun, name = `rd-probe-${run.runId}`, hostname?: string): Promise<ProbeReport> {
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
    return withTimings(blocked, outcome.timings, undefined, started)
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
    return withTimings(blocked, outcome.timings, undefined, started)
  }
  return withTimings(combine('mirror-pod', agentReport, extraChecks, target), outcome.timings, agentReport, started)
}

/** Asks the API server to admit the mirror pod (server-side dry run): a refusal is reported before anything is created. */
async function dryRun(run: ClusterRun): Promise<ProbeReport | undefined> {
  const {kube, namespace, options} = run
  let built: ReturnType<typeof buildMirrorPodWithNotes>
  try {
    built = buildMirrorPodWithNotes({
      runner: options.runner ?? {},
      runId: run.runId,
      name: `rd-probe-${run.runId}`,
      namespace,
      agentSource: run.agentSource,
      agentOptions: options.agentOptions ?? {},
      probeImage: options.image,
      dindImage: options.dindImage,
      dindTls: options.dindTls,
      ...options.job,
      deadlineSeconds: 60,
      now: new Date(),
    })
  } catch (error) {
    if (!(error instanceof PodSpecPatchError)) throw error
    return blockedReport(
      options.mode,
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
      return blockedReport(options.mode, admissionFinding(failure, namespace), 0, {namespace})
    }
    throw failure
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
      summary:
        `PodSecurity refuses the probe pod in namespace ${namespace}: the namespace label ` +
        `pod-security.kubernetes.io/enforce=${level} (version ${version}) forbids what dind needs.`,
      evidence: [error.message],
      cause:
        `Docker-in-Docker needs a privileged container, which the "${level}" Pod Security level rejects; ` +
        'job pods with a dind service are rejected the same way.',
      remediation:
        'Run jobs (and the probe) in a namespace labelled pod-security.kubernetes.io/enforce=privileged, ' +
        'or build images without dind (BuildKit rootless, Buildah).',
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
