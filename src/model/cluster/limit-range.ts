import type {LimitRangeFacts} from './facts.js'
import {COMPUTE_RESOURCES, type ComputeResource, type JobContainer, podTotal} from './job-demands.js'

/*
 * What a LimitRange's bounds do to the job pod (plugin/pkg/admission/limitranger): a container limit above `max`,
 * or no limit at all where there is a `max`, or a request below `min`, and a pod whose summed limits pass the Pod
 * `max`, are rejected at admission ("maximum cpu usage per Container is 2, but limit is 4").
 */

export interface LimitRangeViolation {
  limitRange: string
  /** The container, or `pod` for a Pod item. */
  container: string
  /** The settings prefix of the container ('' build, helper_, service_); undefined for the pod. */
  prefix?: string
  resource: ComputeResource
  bound: 'max' | 'min'
  boundValue: number
  /** The job pod's value; undefined when it states none. */
  value: number | undefined
  scope: 'Container' | 'Pod'
}

export function limitRangeViolations(containers: JobContainer[], limitRanges: LimitRangeFacts[]): LimitRangeViolation[] {
  const out: LimitRangeViolation[] = []
  for (const range of limitRanges) {
    for (const item of range.items) {
      for (const resource of COMPUTE_RESOURCES) {
        const max = item.max[resource]
        const min = item.min[resource]
        if (item.type === 'Container') {
          for (const c of containers) {
            const limit = c.limits[resource]
            const request = c.requests[resource]
            const base = {limitRange: range.name, container: c.name, prefix: c.prefix, resource, scope: 'Container' as const}
            if (max !== undefined && (limit === undefined || limit > max)) out.push({...base, bound: 'max', boundValue: max, value: limit})
            if (min !== undefined && (request === undefined || request < min))
              out.push({...base, bound: 'min', boundValue: min, value: request})
          }
        } else if (item.type === 'Pod' && max !== undefined) {
          const limits = podTotal(containers, 'limits', resource)
          if (limits.missing.length > 0 || limits.total > max) {
            out.push({
              limitRange: range.name,
              container: 'pod',
              resource,
              bound: 'max',
              boundValue: max,
              value: limits.missing.length > 0 ? undefined : limits.total,
              scope: 'Pod',
            })
          }
        }
      }
    }
  }
  return out
}
