import {isPlainObject} from './chart.js'
import type {ClusterFacts} from './cluster/facts.js'
import {isTemplatePlaceholder} from './placeholders.js'
import {parseQuantity} from './quantity.js'
import {type RunnerConfigData, runnersOf} from './runners.js'

/** What the user told lint about the cluster and the jobs, for capacity rules. */
export interface LintEnvironment {
  capacityCpu?: number
  capacityMemory?: number
  servicesPerJob: number
  /** The chart version came from --chart-version or .runner-doctor.yaml, not from the newest known. */
  chartVersionStated?: boolean
  /** What lint --cluster read from the cluster; the cluster rules run only when it is there. */
  cluster?: ClusterFacts
}

/** Concurrency math for one values file or config.toml. */
export interface Capacity {
  maxConcurrentJobs: number | null
  managerReplicas: number
  replicasSource: 'replicas' | 'hpa.maxReplicas' | 'default' | 'config.toml'
  concurrent: number
  runnerLimitSum: number | null
  perJobRequests: {cpuMillicores: number; memoryBytes: number}
  perJobLimits: {cpuMillicores: number | null; memoryBytes: number | null}
  totalRequests: {cpuMillicores: number; memoryBytes: number} | null
  clusterCapacity?: {cpuMillicores?: number; memoryBytes?: number}
}

/**
 * The containers of a job pod that [runners.kubernetes] sizes apart, by the prefix of their keys: `cpu_request`,
 * `helper_cpu_request`, `service_cpu_request` (each service container gets the service size).
 */
export const JOB_CONTAINERS = [
  {prefix: '', name: 'build'},
  {prefix: 'helper_', name: 'helper'},
  {prefix: 'service_', name: 'service'},
] as const

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && !isTemplatePlaceholder(value) ? value : undefined
}

/** Request of one container: Kubernetes defaults a missing request to the limit. */
function containerRequest(k: Record<string, unknown>, prefix: string, resource: 'cpu' | 'memory'): number {
  return parseQuantity(k[`${prefix}${resource}_request`]) ?? parseQuantity(k[`${prefix}${resource}_limit`]) ?? 0
}

function containerLimit(k: Record<string, unknown>, prefix: string, resource: 'cpu' | 'memory'): number | undefined {
  return parseQuantity(k[`${prefix}${resource}_limit`])
}

/** Sum of the pod's container limits; null when a container has none (the pod is then unbounded). */
function podLimit(k: Record<string, unknown>, resource: 'cpu' | 'memory', services: number): number | null {
  const build = containerLimit(k, '', resource)
  const helper = containerLimit(k, 'helper_', resource)
  const service = services > 0 ? containerLimit(k, 'service_', resource) : 0
  if (build === undefined || helper === undefined || service === undefined) return null
  return build + helper + services * service
}

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b)
}

/**
 * Max concurrent jobs = manager replicas (or hpa.maxReplicas) × min(concurrent, Σ runner limit when every runner
 * sets one), and what those jobs request from the cluster.
 */
export function computeCapacity(target: RunnerConfigData, env: LintEnvironment): Capacity | undefined {
  const runners = runnersOf(target).filter((r) => r.executor === 'kubernetes')
  if (runners.length === 0) return undefined
  const values = target.values?.data
  let managerReplicas = 1
  let replicasSource: Capacity['replicasSource'] = values ? 'default' : 'config.toml'
  let concurrent: number
  if (values) {
    const hpa = isPlainObject(values.hpa) ? values.hpa : undefined
    if (hpa && positiveInt(hpa.maxReplicas) !== undefined) {
      managerReplicas = hpa.maxReplicas as number
      replicasSource = 'hpa.maxReplicas'
    } else if (positiveInt(values.replicas) !== undefined) {
      managerReplicas = values.replicas as number
      replicasSource = 'replicas'
    }
    concurrent = positiveInt(values.concurrent) ?? 10
  } else {
    concurrent = positiveInt(target.data.concurrent) ?? 1
  }
  const limits = runnersOf(target).map((r) => positiveInt(r.settings.limit) ?? 0)
  const runnerLimitSum = limits.every((l) => l > 0) ? limits.reduce((a, b) => a + b, 0) : null
  const perManager = Math.max(0, runnerLimitSum === null ? concurrent : Math.min(concurrent, runnerLimitSum))
  const maxConcurrentJobs = managerReplicas * perManager

  let cpu = 0
  let memory = 0
  let cpuLimit: number | null = 0
  let memoryLimit: number | null = 0
  for (const runner of runners) {
    const k = runner.kubernetes ?? {}
    const services = env.servicesPerJob
    const runnerCpu =
      containerRequest(k, '', 'cpu') + containerRequest(k, 'helper_', 'cpu') + services * containerRequest(k, 'service_', 'cpu')
    const runnerMemory =
      containerRequest(k, '', 'memory') + containerRequest(k, 'helper_', 'memory') + services * containerRequest(k, 'service_', 'memory')
    cpu = Math.max(cpu, runnerCpu)
    memory = Math.max(memory, runnerMemory)
    cpuLimit = maxOrNull(cpuLimit, podLimit(k, 'cpu', services))
    memoryLimit = maxOrNull(memoryLimit, podLimit(k, 'memory', services))
  }
  const capacity: Capacity = {
    maxConcurrentJobs,
    managerReplicas,
    replicasSource,
    concurrent,
    runnerLimitSum,
    perJobRequests: {cpuMillicores: Math.round(cpu * 1000), memoryBytes: Math.round(memory)},
    perJobLimits: {
      cpuMillicores: cpuLimit === null ? null : Math.round(cpuLimit * 1000),
      memoryBytes: memoryLimit === null ? null : Math.round(memoryLimit),
    },
    totalRequests: {cpuMillicores: Math.round(cpu * 1000) * maxConcurrentJobs, memoryBytes: Math.round(memory) * maxConcurrentJobs},
  }
  if (env.capacityCpu !== undefined || env.capacityMemory !== undefined) {
    capacity.clusterCapacity = {
      ...(env.capacityCpu === undefined ? {} : {cpuMillicores: Math.round(env.capacityCpu * 1000)}),
      ...(env.capacityMemory === undefined ? {} : {memoryBytes: Math.round(env.capacityMemory)}),
    }
  }
  return capacity
}
