import {isPlainObject} from '../chart.js'
import type {Permission} from './facts.js'

/*
 * The API permissions the kubernetes executor uses in the job namespace, from GitLab Runner's "Configure runner API
 * permissions" (docs/executors/kubernetes/_index.md at v18.3.0), each with the feature of the config that needs it.
 */

export interface ExecutorPermission extends Permission {
  /** What the executor does with it, for messages. */
  purpose: string
  /** Whether a runner with these `[runners.kubernetes]` settings needs it. */
  neededBy: (kubernetes: Record<string, unknown>) => boolean
}

const always = () => true
const perm = (resource: string, verbs: string[], purpose: string, neededBy: ExecutorPermission['neededBy'] = always, group = '') =>
  verbs.map((verb): ExecutorPermission => {
    const [main, subresource] = resource.split('/')
    return {verb, resource: main, ...(subresource ? {subresource} : {}), ...(group ? {group} : {}), purpose, neededBy}
  })

export const EXECUTOR_PERMISSIONS: ExecutorPermission[] = [
  ...perm('pods', ['create', 'delete', 'get', 'list', 'watch'], 'job pods'),
  ...perm('pods/exec', ['create', 'get'], 'running the job script'),
  ...perm('pods/attach', ['create', 'get'], 'attaching to the job script'),
  ...perm('pods/log', ['get'], 'reading the job log'),
  ...perm('secrets', ['create', 'delete', 'get', 'update'], 'registry credentials and CI variables of each job'),
  ...perm('events', ['list', 'watch'], 'print_pod_warning_events', (k) => k.print_pod_warning_events !== false),
  ...perm('serviceaccounts', ['get'], 'checking service_account', (k) => typeof k.service_account === 'string' && k.service_account !== ''),
  ...perm(
    'poddisruptionbudgets',
    ['create', 'get'],
    'pod_disruption_budget',
    (k) => isPlainObject(k) && k.pod_disruption_budget === true,
    'policy',
  ),
]

export function permissionText(p: Permission): string {
  return `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.subresource ? `/${p.subresource}` : ''}`
}
