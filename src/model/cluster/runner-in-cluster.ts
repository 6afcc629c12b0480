import type {RunnerView} from '../runners.js'
import {type ClusterFacts, jobNamespaceOf, type NamespaceFacts, type Reading} from './facts.js'
import {type JobContainer, jobContainers, type LimitRangeDefault, withLimitRangeDefaults} from './job-demands.js'

/** A Kubernetes runner of the file with the cluster facts of the namespace its jobs go to. */
export interface RunnerInCluster {
  runner: RunnerView
  kubernetes: Record<string, unknown>
  /** Pointer of the runner's `[runners.kubernetes]` table in the TOML: where findings about what it leaves out go. */
  tablePointer: string
  namespace: string
  facts: NamespaceFacts
  /** The job pod's containers as admitted there: LimitRange defaults applied when the LimitRanges could be read. */
  containers: JobContainer[]
  defaults: LimitRangeDefault[]
}

export function runnersInCluster(runners: RunnerView[], cluster: ClusterFacts, servicesPerJob: number): RunnerInCluster[] {
  return runners.flatMap((runner) => {
    const kubernetes = runner.kubernetes ?? {}
    const namespace = jobNamespaceOf(runner.kubernetes, cluster.runnerNamespace)
    const facts = cluster.namespaces[namespace]
    if (!facts) return []
    const sized = jobContainers(kubernetes, servicesPerJob)
    const {containers, defaults} = facts.limitRanges.ok
      ? withLimitRangeDefaults(sized, facts.limitRanges.value)
      : {containers: sized, defaults: []}
    return [
      {
        runner,
        kubernetes,
        tablePointer: `${runner.pointer}${runner.kubernetes ? '/kubernetes' : ''}`,
        namespace,
        facts,
        containers,
        defaults,
      },
    ]
  })
}

/** The first of these readings that failed, for the one info finding that says what could not be read. */
export function unreadable(...readings: Array<Reading<unknown>>): {what: string; reason: string} | undefined {
  const failed = readings.find((r) => !r.ok)
  return failed && !failed.ok ? {what: failed.what, reason: failed.reason} : undefined
}
