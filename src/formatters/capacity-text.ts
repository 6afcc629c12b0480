import {formatBytes} from '../util/bytes.js'
import type {Capacity} from '../lint/types.js'

function trimNumber(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)))
}

export function formatCpu(millicores: number): string {
  return `${trimNumber(millicores / 1000, 3)} CPU`
}

export {formatBytes}

const ABSENT = '—'

function resources(cpuMillicores: number | null | undefined, memoryBytes: number | null | undefined): string {
  const cpu = cpuMillicores == null ? ABSENT : formatCpu(cpuMillicores)
  const memory = memoryBytes == null ? ABSENT : formatBytes(memoryBytes)
  return `${cpu} / ${memory}`
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

function replicasTerm(capacity: Capacity): string {
  if (capacity.replicasSource === 'config.toml') {
    return plural(capacity.managerReplicas, 'runner process', 'runner processes')
  }
  const base = plural(capacity.managerReplicas, 'manager replica')
  switch (capacity.replicasSource) {
    case 'hpa.maxReplicas':
      return `${base} (hpa.maxReplicas)`
    case 'default':
      return `${base} (chart default)`
    default:
      return base
  }
}

/**
 * One line that shows the concurrency result together with the terms it is made of, so a reader can
 * see which value to change: replicas × min(concurrent, Σ limit) and the resources that implies.
 */
export function describeCapacity(capacity: Capacity): string {
  const limitSum = capacity.runnerLimitSum == null ? ABSENT : String(capacity.runnerLimitSum)
  const result =
    capacity.maxConcurrentJobs == null ? 'no computable maximum of concurrent jobs' : plural(capacity.maxConcurrentJobs, 'concurrent job')
  const parts = [
    `${replicasTerm(capacity)} × min(concurrent ${capacity.concurrent}, Σ limit ${limitSum}) = ${result}`,
    `per job requests ${resources(capacity.perJobRequests.cpuMillicores, capacity.perJobRequests.memoryBytes)}` +
      `, limits ${resources(capacity.perJobLimits.cpuMillicores, capacity.perJobLimits.memoryBytes)}`,
  ]
  if (capacity.totalRequests) {
    parts.push(`at most ${resources(capacity.totalRequests.cpuMillicores, capacity.totalRequests.memoryBytes)} requested`)
  }
  if (capacity.clusterCapacity) {
    parts.push(`cluster allocatable ${resources(capacity.clusterCapacity.cpuMillicores, capacity.clusterCapacity.memoryBytes)}`)
  }
  return parts.join('; ')
}
