import {computeCapacity} from '../../model/capacity.js'
import {podTotal} from '../../model/cluster/job-demands.js'
import {runnersInCluster, unreadable} from '../../model/cluster/runner-in-cluster.js'
import {autoscalerLabel, podsThatFit, whyNotEligible} from '../../model/cluster/scheduling.js'
import {formatCpu, formatMemory} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'someFit' | 'someFitUsageUnknown' | 'noNode' | 'unreadable'

/** A few names and how many more, for messages. */
function someNames(names: string[], shown = 3): string {
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`
}

export default defineRule({
  id: 'cluster-capacity',
  target: 'config-toml',
  messages: {
    someFit:
      'Only {{fitNow}} of the {{jobs}} concurrent jobs ({{replicas}} × concurrent {{concurrent}}) ' +
      'fit on the nodes this runner’s job pods can use now ({{fitEmpty}} on the same nodes empty), ' +
      'each job requesting {{cpu}} CPU and {{memory}}: nodes {{nodes}}.{{excluded}} {{autoscaler}}',
    someFitUsageUnknown:
      'Only {{fitEmpty}} of the {{jobs}} concurrent jobs ({{replicas}} × concurrent {{concurrent}}) ' +
      'fit on the nodes this runner’s job pods can use even when they are empty, each job requesting ' +
      '{{cpu}} CPU and {{memory}}: nodes {{nodes}}.{{excluded}} What runs there now is unknown (could ' +
      'not {{what}}: {{reason}}). {{autoscaler}}',
    noNode:
      'No node of cluster {{cluster}} can take this runner’s job pods: {{excluded}} Every job waits ' +
      'in Pending until poll_timeout. {{autoscaler}}',
    unreadable: 'Could not {{what}} ({{reason}}), so how many concurrent jobs the cluster can run was not checked.',
  },
  check: ({target, runners, env}) => {
    const cluster = env.cluster!
    const capacity = computeCapacity(target, env)
    if (!capacity) return []
    const at = {pointer: '/concurrent', inValues: Boolean(target.values)}
    if (!cluster.nodes.ok) return [{...at, messageId: 'unreadable' as const, data: unreadable(cluster.nodes)!, severity: 'info' as const}]
    const nodes = cluster.nodes.value
    const usage = cluster.usage.ok ? cluster.usage.value : undefined
    const autoscaler = autoscalerLabel(nodes)
    const autoscalerNote = autoscaler
      ? `Nodes carry ${autoscaler}: an autoscaler may add nodes up to its own maximum, which lint cannot read.`
      : 'No node label shows an autoscaler, so as far as lint can tell these nodes are all there is.'
    return runnersInCluster(runners, cluster, env.servicesPerJob).flatMap(({runner, kubernetes, containers}): Array<Report<MessageId>> => {
      const limit = typeof runner.settings.limit === 'number' && runner.settings.limit > 0 ? runner.settings.limit : undefined
      const jobs = capacity.managerReplicas * (limit === undefined ? capacity.concurrent : Math.min(capacity.concurrent, limit))
      const perJob = {
        cpuMillicores: Math.round(podTotal(containers, 'requests', 'cpu').total * 1000),
        memoryBytes: Math.round(podTotal(containers, 'requests', 'memory').total),
      }
      const eligible = nodes.filter((n) => whyNotEligible(kubernetes, n) === undefined)
      const left = nodes
        .filter((n) => whyNotEligible(kubernetes, n) !== undefined)
        .map((n) => `${n.name} (${whyNotEligible(kubernetes, n)})`)
      const excluded = left.length > 0 ? ` Left out: ${someNames(left)}.` : ''
      if (eligible.length === 0) {
        return [
          {
            ...at,
            messageId: 'noNode',
            data: {
              cluster: cluster.cluster,
              excluded: left.length > 0 ? `${someNames(left)}.` : 'the cluster has no nodes.',
              autoscaler: autoscalerNote,
            },
            severity: autoscaler ? 'warning' : 'error',
          },
        ]
      }
      const fitEmpty = eligible.reduce((n, node) => n + podsThatFit(node, undefined, perJob), 0)
      const fitNow = usage ? eligible.reduce((n, node) => n + podsThatFit(node, usage[node.name], perJob), 0) : undefined
      const data = {
        jobs,
        replicas: capacity.managerReplicas,
        concurrent: capacity.concurrent,
        fitEmpty: Math.min(fitEmpty, jobs),
        cpu: formatCpu(perJob.cpuMillicores / 1000),
        memory: formatMemory(perJob.memoryBytes),
        nodes: someNames(eligible.map((n) => n.name)),
        excluded,
        autoscaler: autoscalerNote,
      }
      if (fitNow === undefined) {
        if (fitEmpty >= jobs) return []
        return [{...at, messageId: 'someFitUsageUnknown', data: {...data, ...unreadable(cluster.usage)!}}]
      }
      if (fitNow >= jobs) return []
      return [{...at, messageId: 'someFit', data: {...data, fitNow}}]
    })
  },
})
