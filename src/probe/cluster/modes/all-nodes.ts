import type {V1Node} from '@kubernetes/client-node'
import type {CheckResult, ProbeReport} from '../../types.js'
import {type RunnerSettings, tolerationsFor} from '../mirror-pod.js'
import {blockedReport, mergeNodeReports, withExtraChecks} from '../report.js'
import type {ClusterRun} from '../run.js'
import {runMirrorPod} from './mirror-pod.js'

/**
 * Runs one mirror pod on each node a job pod may land on, `parallelism` at a time, and merges their reports, naming the
 * checks the nodes disagree on. The checks made before the run (`extra`) join the merged report.
 */
export async function runOnAllNodes(run: ClusterRun, started: number, extra: CheckResult[]): Promise<ProbeReport> {
  const {kube, options, deps, namespace} = run
  const nodes = schedulableNodes(await kube.listNodes(), options.runner, deps.progress)
  if (!nodes.length) {
    const blocked = blockedReport(
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
    // As in every other report: whose permissions were checked, and what the report could not see.
    return withExtraChecks(blocked, extra)
  }
  const parallelism = options.parallelism ?? 3
  deps.progress(`Probing ${nodes.length} node(s), ${Math.min(parallelism, nodes.length)} at a time.`)
  const reports = await inBatches(nodes, parallelism, async (node, index) => ({
    node: node.name,
    report: await runMirrorPod(run, `rd-probe-${run.runId}-${index}`, node.hostname),
  }))
  return withExtraChecks(mergeNodeReports(reports, Date.now() - started, namespace), extra)
}

/** The nodes the runner's node_selector and tolerations let a job pod land on, Ready and not cordoned. */
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
      const taint = `${blocking.key}${blocking.value ? `=${blocking.value}` : ''}:${blocking.effect}`
      progress(`Skipping node ${name}: the runner does not tolerate its taint ${taint}.`)
      continue
    }
    result.push({name, hostname: labels['kubernetes.io/hostname'] ?? name})
  }
  return result
}

/** Works through the items with at most `limit` at a time, keeping their order in the results. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({length: Math.min(limit, items.length)}, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await work(items[index]!, index)
      }
    }),
  )
  return results
}
