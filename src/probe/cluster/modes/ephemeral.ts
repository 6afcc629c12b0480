import type {V1Container, V1EnvVar, V1EphemeralContainer, V1Pod} from '@kubernetes/client-node'
import type {AgentOptions} from '../../agent/options.js'
import type {ProbeReport} from '../../types.js'
import {agentCommand, BUILD_CONTAINER, DEFAULT_PROBE_IMAGE} from '../mirror-pod.js'
import {blockedReport, combine, parseAgentReport, tail, withTimings} from '../report.js'
import {type ClusterRun, waitSettings} from '../run.js'
import {waitForContainer} from '../wait.js'

/** Variables the checks read in a job: the Docker client's and the CI job's (DOCKER_HOST, DOCKER_CERT_PATH, CI_SERVER_URL …). */
const CHECKED_VARIABLES = /^(DOCKER_|CI_)/

/**
 * The check program as an ephemeral container of a job pod, seeing what the job's build container sees: its volume
 * mounts (the dind client certificates at /certs/client, say) and its DOCKER_* and CI_* variables, so TLS dind can be
 * checked from it. Mounts with subPath are left out: the API server forbids them in ephemeral containers.
 */
export function ephemeralAgentContainer(
  jobPod: V1Pod,
  container: {name: string; image: string; command: string[]},
): {container: V1EphemeralContainer; leftOut: string[]} {
  const containers: V1Container[] = jobPod.spec?.containers ?? []
  const build = containers.find((c) => c.name === BUILD_CONTAINER) ?? containers[0]
  const mounts = build?.volumeMounts ?? []
  const usable = mounts.filter((m) => !m.subPath && !m.subPathExpr)
  const env: V1EnvVar[] = (build?.env ?? [])
    .filter((e) => CHECKED_VARIABLES.test(e.name) && e.value !== undefined)
    .map(({name, value}) => ({name, value}))
  return {
    container: {
      ...container,
      env: [...env, {name: 'RUNNER_DOCTOR_NODE_NAME', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
      ...(usable.length
        ? {volumeMounts: usable.map(({name, mountPath, readOnly}) => ({name, mountPath, ...(readOnly ? {readOnly} : {})}))}
        : {}),
      ...(build ? {targetContainerName: build.name} : {}),
    },
    leftOut: mounts.filter((m) => m.subPath || m.subPathExpr).map((m) => `${m.mountPath} (subPath)`),
  }
}

/**
 * Runs the checks in an ephemeral container added to the job pod, for a pod none of whose containers has node.
 * Kubernetes cannot remove the container: it stays until the pod ends.
 */
export async function runInEphemeralContainer(
  run: ClusterRun,
  jobPod: {pod: V1Pod; target: ProbeReport['target']; agentOptions: AgentOptions; started: number},
): Promise<ProbeReport> {
  const {kube, options, deps, namespace} = run
  const {target, started} = jobPod
  const podName = jobPod.pod.metadata!.name!
  const name = `rd-probe-${run.runId}`
  deps.progress(`Adding ephemeral container ${name} to pod ${podName}. Kubernetes cannot remove it: it stays until the pod ends.`)
  const ephemeral = ephemeralAgentContainer(jobPod.pod, {
    name,
    image: options.image ?? DEFAULT_PROBE_IMAGE,
    command: agentCommand(run.agentSource, jobPod.agentOptions),
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
