import {computeCapacity} from '../../model/capacity.js'
import {quotaVerdicts} from '../../model/cluster/quota.js'
import {runnersInCluster, unreadable} from '../../model/cluster/runner-in-cluster.js'
import {formatCpu, formatMemory} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'exceeded' | 'unspecified' | 'unspecifiedThenExceeded' | 'unreadable'

/** A quota amount as Kubernetes writes it: CPU in cores, memory in bytes, pods as a count. */
function amount(resource: string, value: number): string {
  if (resource.endsWith('cpu')) return formatCpu(value)
  if (resource.endsWith('memory')) return formatMemory(value)
  return String(value)
}

export default defineRule({
  id: 'cluster-quota',
  target: 'config-toml',
  messages: {
    exceeded:
      'ResourceQuota {{namespace}}/{{quota}} rejects job {{job}} of the {{jobs}} concurrent jobs ' +
      'with "exceeded quota": {{resource}} is {{hard}} with {{used}} in use, and each job takes {{perJob}}.',
    unspecified:
      'ResourceQuota {{namespace}}/{{quota}} rejects job 1 and every job after it ("must specify ' +
      '{{resource}}"): it tracks {{resource}}, and the {{containers}} container states none here, ' +
      'nor does a LimitRange give one.',
    unspecifiedThenExceeded:
      'ResourceQuota {{namespace}}/{{quota}} rejects job 1 and every job after it ("must specify ' +
      '{{resource}}"): it tracks {{resource}}, and the {{containers}} container states none here, ' +
      'nor does a LimitRange give one. Once it does, the quota still rejects job {{job}} of the {{jobs}} ' +
      'concurrent jobs at the latest.',
    unreadable: 'Could not {{what}} ({{reason}}), so the concurrent jobs were not checked against the namespace’s ResourceQuotas.',
  },
  check: ({target, runners, env}) => {
    const capacity = computeCapacity(target, env)
    if (!capacity) return []
    const concurrentAt = {pointer: '/concurrent', inValues: Boolean(target.values)}
    return runnersInCluster(runners, env.cluster!, env.servicesPerJob).flatMap(
      ({tablePointer, namespace, facts, containers}): Array<Report<MessageId>> => {
        if (!facts.quotas.ok) return [{...concurrentAt, messageId: 'unreadable', data: unreadable(facts.quotas)!, severity: 'info'}]
        const jobs = capacity.maxConcurrentJobs ?? capacity.concurrent
        return quotaVerdicts(facts.quotas.value, containers, jobs).map((v): Report<MessageId> =>
          v.reason === 'unspecified'
            ? {
                pointer: tablePointer,
                messageId: v.atTheLatest === undefined ? 'unspecified' : 'unspecifiedThenExceeded',
                data: {
                  namespace,
                  quota: v.quota,
                  resource: v.resource,
                  containers: v.containers.join(', '),
                  ...(v.atTheLatest === undefined ? {} : {job: v.atTheLatest, jobs}),
                },
              }
            : {
                ...concurrentAt,
                messageId: 'exceeded' as const,
                data: {
                  namespace,
                  quota: v.quota,
                  job: v.firstRejectedJob,
                  jobs,
                  resource: v.resource,
                  hard: amount(v.resource, v.hard),
                  used: amount(v.resource, v.used),
                  perJob: amount(v.resource, v.perJob),
                },
              },
        )
      },
    )
  },
})
