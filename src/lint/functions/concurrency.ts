import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import {computeCapacity} from '../../model/capacity.js'
import {formatCpu, formatMemory} from '../../model/quantity.js'
import {runnersOf} from '../../model/runners.js'
import type {FunctionResult, RuleFunction} from './types.js'

/** Concurrent jobs × per-job requests against the capacity the user stated. */
export const capacityExceeded: RuleFunction = ({target, env}) => {
  if (target.type !== 'config-toml') return []
  const capacity = computeCapacity(target, env)
  if (!capacity?.clusterCapacity || !capacity.totalRequests || capacity.maxConcurrentJobs === null) return []
  const out: FunctionResult[] = []
  const jobs = capacity.maxConcurrentJobs
  const {cpuMillicores, memoryBytes} = capacity.clusterCapacity
  const at = '/concurrent'
  const inValues = Boolean(target.values)
  if (cpuMillicores !== undefined && capacity.totalRequests.cpuMillicores > cpuMillicores) {
    out.push({pointer: at, inValues, message: `${jobs} concurrent jobs request ${formatCpu(capacity.totalRequests.cpuMillicores / 1000)} CPU, more than the stated capacity of ${formatCpu(cpuMillicores / 1000)} CPU: jobs will wait in Pending or time out.`})
  }
  if (memoryBytes !== undefined && capacity.totalRequests.memoryBytes > memoryBytes) {
    out.push({pointer: at, inValues, message: `${jobs} concurrent jobs request ${formatMemory(capacity.totalRequests.memoryBytes)} memory, more than the stated capacity of ${formatMemory(memoryBytes)}: jobs will wait in Pending or time out.`})
  }
  return out
}

/** `concurrent` below 1 makes the runner exit; below the number of runners starves workers. */
export const concurrentBelowRunners: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  const runners = runnersOf(target)
  const concurrent = target.values ? target.values.data.concurrent : (target.data.concurrent ?? 1)
  if (typeof concurrent !== 'number' || isTemplatePlaceholder(concurrent)) return []
  if (concurrent >= 1 && concurrent >= runners.length) return []
  const pointer = '/concurrent'
  const inValues = Boolean(target.values)
  if (concurrent < 1) return [{pointer, inValues, message: `concurrent = ${concurrent}: the runner refuses to start ("no jobs will be processed").`, severity: 'error'}]
  return [{pointer, inValues, message: `concurrent = ${concurrent} is below the ${runners.length} [[runners]] entries: some runners never get a worker to poll with.`}]
}

/** request_concurrency 1 (the default) serialises job requests; with a small limit it throttles the runner. */
export const requestConcurrencyBottleneck: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  const out: FunctionResult[] = []
  for (const runner of runnersOf(target)) {
    const rc = runner.settings.request_concurrency
    const limit = runner.settings.limit
    const effective = typeof rc === 'number' ? Math.max(1, rc) : 1
    if (effective !== 1 || typeof limit !== 'number' || limit <= 0 || limit > 2) continue
    out.push({pointer: `${runner.pointer}${rc === undefined ? '' : '/request_concurrency'}`, message: `${runner.name} has limit = ${limit} and request_concurrency = 1: it asks GitLab for one job at a time and long polling stalls job pickup.`})
  }
  return out
}
