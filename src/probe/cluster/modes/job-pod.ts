import type {V1Pod} from '@kubernetes/client-node'
import type {AgentOptions} from '../../agent/options.js'
import {stdinAgentInvocation} from '../../agent/stdin-framing.js'
import type {ProbeReport} from '../../types.js'
import {execRefusedFinding, noReportFinding} from '../exec-diagnosis.js'
import {type KubeApi, toKubeError} from '../kube-api.js'
import {BUILD_CONTAINER} from '../mirror-pod.js'
import {blockedReport, combine, parseAgentReport} from '../report.js'
import type {ClusterProbeOptions, ClusterRun} from '../run.js'
import {runInEphemeralContainer} from './ephemeral.js'

const JOB_ID_ANNOTATION = 'job.runner.gitlab.com/id'

/** The job pod named by `--pod`, or found by its job's id; a string says why there is none. */
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

/**
 * Runs the checks in a running job pod, in the first of its containers that has node (the build container first); in mode
 * `ephemeral`, when none has, in a container added to the pod.
 */
export async function runInJobPod(run: ClusterRun): Promise<ProbeReport> {
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
  return runInEphemeralContainer(run, {pod: found, target, agentOptions, started})
}
