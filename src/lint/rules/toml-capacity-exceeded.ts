import {computeCapacity} from '../../model/capacity.js'
import {formatCpu, formatMemory} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-capacity-exceeded',
  target: 'config-toml',
  messages: {
    cpu:
      '{{jobs}} concurrent jobs request {{requested}} CPU, more than the stated capacity of {{capacity}} ' +
      'CPU: jobs will wait in Pending or time out.',
    memory:
      '{{jobs}} concurrent jobs request {{requested}} memory, more than the stated capacity of {{capacity}}: ' +
      'jobs will wait in Pending or time out.',
  },
  check: ({target, env}) => {
    const capacity = computeCapacity(target, env)
    if (!capacity?.clusterCapacity || !capacity.totalRequests || capacity.maxConcurrentJobs === null) return []
    const jobs = capacity.maxConcurrentJobs
    const requested = capacity.totalRequests
    const {cpuMillicores, memoryBytes} = capacity.clusterCapacity
    // `concurrent` of a chart's runners.config is a chart value.
    const at = {pointer: '/concurrent', inValues: Boolean(target.values)}
    const out: Array<Report<'cpu' | 'memory'>> = []
    if (cpuMillicores !== undefined && requested.cpuMillicores > cpuMillicores) {
      out.push({
        ...at,
        messageId: 'cpu',
        data: {jobs, requested: formatCpu(requested.cpuMillicores / 1000), capacity: formatCpu(cpuMillicores / 1000)},
      })
    }
    if (memoryBytes !== undefined && requested.memoryBytes > memoryBytes) {
      out.push({
        ...at,
        messageId: 'memory',
        data: {jobs, requested: formatMemory(requested.memoryBytes), capacity: formatMemory(memoryBytes)},
      })
    }
    return out
  },
})
