import {randomBytes} from 'node:crypto'
import type {ProbeReport} from '../types.js'
import {PodLedger} from './cleanup.js'
import {guarded, Interruption, listenForInterrupts, ProbeInterruptedError} from './interruption.js'
import {KubeError, toKubeError} from './kube-api.js'
import {runnerNamespace} from './mirror-pod.js'
import {runOnAllNodes} from './modes/all-nodes.js'
import {runInJobPod} from './modes/job-pod.js'
import {prepareMirrorPods, runMirrorPod} from './modes/mirror-pod.js'
import {degradedCheck, preflight} from './preflight.js'
import {blockedReport, unreachableReport, withExtraChecks} from './report.js'
import type {ClusterDeps, ClusterProbeOptions, ClusterRun} from './run.js'

export {cleanupLeftovers} from './cleanup.js'
export {ProbeInterruptedError} from './interruption.js'
export type {ClusterDeps, ClusterProbeOptions} from './run.js'

/**
 * Runs the checks in the cluster: in a pod shaped like a job pod (default), in an existing job pod, or in one
 * pod per node. Always removes the pods it created, also on SIGINT/SIGTERM (then it throws ProbeInterruptedError).
 */
export async function runClusterProbe(options: ClusterProbeOptions, deps: ClusterDeps): Promise<ProbeReport> {
  const started = Date.now()
  const interruption = new Interruption()
  const kube = guarded(deps.kube, interruption)
  const namespace = options.namespace ?? runnerNamespace(options.runner) ?? deps.kube.defaultNamespace
  const ledger = new PodLedger(deps.kube, namespace, deps.progress)
  const stopListening = listenForInterrupts(interruption, deps, () => ledger.quitNote())
  try {
    const {denied, degraded} = await preflight(kube, namespace, options.mode, Boolean(options.jobId && !options.pod), deps.progress)
    if (denied) return withExtraChecks(blockedReport(options.mode, denied, Date.now() - started, {namespace}), options.extraChecks ?? [])
    const extra = [...(options.extraChecks ?? []), ...(degraded.length ? [degradedCheck(degraded, namespace)] : [])]
    const agentSource = await interruption.guard(deps.agentSource())
    const runId = randomBytes(4).toString('hex')
    const run: ClusterRun = {kube, ledger, interruption, options, deps, namespace, runId, agentSource}
    if (options.mode === 'job-pod' || options.mode === 'ephemeral') return withExtraChecks(await runInJobPod(run), extra)

    const refused = await prepareMirrorPods(run, !degraded.some((p) => p.verb === 'list' && p.resource === 'pods'))
    if (refused) return withExtraChecks({...refused, timings: {totalMs: Date.now() - started}}, options.extraChecks ?? [])
    if (options.mode === 'mirror-pod') return withExtraChecks(await runMirrorPod(run), extra)
    return await runOnAllNodes(run, started, extra)
  } catch (error) {
    if (error instanceof ProbeInterruptedError) throw error
    const failure = toKubeError(error)
    if (failure.kind === 'other' && !(error instanceof KubeError) && !(error as {code?: unknown})?.code) throw error
    return unreachableReport(options.mode, failure, Date.now() - started, deps.kube.clusterName)
  } finally {
    const leftovers = await ledger.deleteAll()
    stopListening()
    if (interruption.signal) {
      // eslint-disable-next-line no-unsafe-finally
      throw new ProbeInterruptedError(interruption.signal, leftovers)
    }
  }
}
