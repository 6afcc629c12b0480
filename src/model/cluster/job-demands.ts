import {JOB_CONTAINERS} from '../capacity.js'
import {parseQuantity} from '../quantity.js'
import type {LimitRangeFacts} from './facts.js'

/*
 * What one job pod asks of the cluster, container by container, as the kubernetes executor sizes it from
 * `[runners.kubernetes]` and as the API server then completes it: a container with a limit and no request gets the
 * limit as its request (pod defaulting), and a namespace's LimitRange fills in what is still missing (LimitRanger).
 */

export type ComputeResource = 'cpu' | 'memory'
export const COMPUTE_RESOURCES: readonly ComputeResource[] = ['cpu', 'memory']

export interface JobContainer {
  /** build, helper or service. */
  name: string
  /** How many of it a job pod has (services: --services-per-job). */
  count: number
  /** The key prefix of its settings in `[runners.kubernetes]`: '', helper_, service_. */
  prefix: string
  /** CPU in cores, memory in bytes; absent when neither the config nor a LimitRange gives one. */
  requests: Partial<Record<ComputeResource, number>>
  limits: Partial<Record<ComputeResource, number>>
}

/** A value a LimitRange gave a container because the config left it out. */
export interface LimitRangeDefault {
  container: string
  prefix: string
  resource: ComputeResource
  kind: 'request' | 'limit'
  value: number
  limitRange: string
}

/** The job pod's containers as the config sizes them, before any LimitRange. */
export function jobContainers(kubernetes: Record<string, unknown>, servicesPerJob: number): JobContainer[] {
  return JOB_CONTAINERS.filter(({name}) => name !== 'service' || servicesPerJob > 0).map(({prefix, name}) => {
    const requests: JobContainer['requests'] = {}
    const limits: JobContainer['limits'] = {}
    for (const resource of COMPUTE_RESOURCES) {
      const limit = parseQuantity(kubernetes[`${prefix}${resource}_limit`])
      const request = parseQuantity(kubernetes[`${prefix}${resource}_request`]) ?? limit
      if (limit !== undefined) limits[resource] = limit
      if (request !== undefined) requests[resource] = request
    }
    return {name, prefix, count: name === 'service' ? servicesPerJob : 1, requests, limits}
  })
}

/**
 * The containers as admitted in a namespace with these LimitRanges: a missing limit takes `default`, a missing
 * request `defaultRequest`.
 */
export function withLimitRangeDefaults(
  containers: JobContainer[],
  limitRanges: LimitRangeFacts[],
): {containers: JobContainer[]; defaults: LimitRangeDefault[]} {
  const defaults: LimitRangeDefault[] = []
  const completed = containers.map((container) => {
    const requests = {...container.requests}
    const limits = {...container.limits}
    for (const range of limitRanges) {
      for (const item of range.items.filter((i) => i.type === 'Container')) {
        for (const resource of COMPUTE_RESOURCES) {
          const note = (kind: 'request' | 'limit', value: number) =>
            defaults.push({container: container.name, prefix: container.prefix, resource, kind, value, limitRange: range.name})
          // The API server completes a LimitRange this way when it is stored (SetDefaults_LimitRangeItem): a missing
          // default is the max, a missing defaultRequest the default, else the min.
          const defaultLimit = item.default[resource] ?? item.max[resource]
          const defaultRequest = item.defaultRequest[resource] ?? defaultLimit ?? item.min[resource]
          if (limits[resource] === undefined && defaultLimit !== undefined) {
            limits[resource] = defaultLimit
            note('limit', defaultLimit)
          }
          if (requests[resource] === undefined && defaultRequest !== undefined) {
            requests[resource] = defaultRequest
            note('request', defaultRequest)
          }
        }
      }
    }
    return {...container, requests, limits}
  })
  return {containers: completed, defaults}
}

/** The sum over a job pod's containers; undefined `missing` lists the containers without a value. */
export function podTotal(
  containers: JobContainer[],
  kind: 'requests' | 'limits',
  resource: ComputeResource,
): {total: number; missing: string[]} {
  let total = 0
  const missing: string[] = []
  for (const container of containers) {
    const value = container[kind][resource]
    if (value === undefined) missing.push(container.name)
    else total += value * container.count
  }
  return {total, missing}
}
