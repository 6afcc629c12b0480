import type {ResourceQuotaFacts} from './facts.js'
import {type ComputeResource, type JobContainer, podTotal} from './job-demands.js'

/*
 * A ResourceQuota against the runner's job pods (kube-apiserver's quota admission, pkg/quota/v1/evaluator/core/pods.go):
 * a pod that would take a tracked amount past `hard` is rejected with "exceeded quota", and a quota that tracks a
 * compute resource rejects every pod with a container that does not state it ("must specify requests.cpu").
 */

const TRACKED: Record<string, {kind: 'requests' | 'limits'; resource: ComputeResource} | 'pods'> = {
  cpu: {kind: 'requests', resource: 'cpu'},
  'requests.cpu': {kind: 'requests', resource: 'cpu'},
  memory: {kind: 'requests', resource: 'memory'},
  'requests.memory': {kind: 'requests', resource: 'memory'},
  'limits.cpu': {kind: 'limits', resource: 'cpu'},
  'limits.memory': {kind: 'limits', resource: 'memory'},
  pods: 'pods',
  'count/pods': 'pods',
}

export type QuotaVerdict =
  | {
      quota: string
      resource: string
      reason: 'unspecified'
      containers: string[]
      /** Once they state it, the quota still rejects this job at the latest. */ atTheLatest?: number
    }
  | {quota: string; resource: string; reason: 'exceeded'; firstRejectedJob: number; perJob: number; hard: number; used: number}

/**
 * For each quota, the first way it rejects the runner's jobs when `jobs` run at once: every job when a container
 * leaves a tracked resource unstated, else the job number at which a tracked amount would pass `hard`.
 */
export function quotaVerdicts(quotas: ResourceQuotaFacts[], containers: JobContainer[], jobs: number): QuotaVerdict[] {
  const verdicts: QuotaVerdict[] = []
  for (const quota of quotas) {
    let first: QuotaVerdict | undefined
    const rank = (v: QuotaVerdict) => (v.reason === 'unspecified' ? 1 : v.firstRejectedJob)
    for (const [resource, hard] of Object.entries(quota.hard)) {
      const tracked = TRACKED[resource]
      if (!tracked) continue
      const sum = tracked === 'pods' ? {total: 1, missing: []} : podTotal(containers, tracked.kind, tracked.resource)
      const used = quota.used[resource] ?? 0
      // Amounts are compared in the API's smallest units (millicores, bytes) so that 8 / 1.6 does not round down to 4.
      const scale = tracked !== 'pods' && tracked.resource === 'cpu' ? 1000 : 1
      const fit =
        sum.total > 0
          ? Math.max(0, Math.floor(Math.round((hard - used) * scale) / Math.round(sum.total * scale)))
          : Number.POSITIVE_INFINITY
      let verdict: QuotaVerdict | undefined
      if (sum.missing.length > 0) {
        // What the other containers take already bounds the job the quota stops once every container states it.
        const name = resource === 'cpu' || resource === 'memory' ? `requests.${resource}` : resource
        verdict = {
          quota: quota.name,
          resource: name,
          reason: 'unspecified',
          containers: sum.missing,
          ...(fit < jobs ? {atTheLatest: fit + 1} : {}),
        }
      } else if (fit < jobs) {
        verdict = {quota: quota.name, resource, reason: 'exceeded', firstRejectedJob: fit + 1, perJob: sum.total, hard, used}
      }
      if (verdict && (!first || rank(verdict) < rank(first))) first = verdict
    }
    if (first) verdicts.push(first)
  }
  return verdicts
}
