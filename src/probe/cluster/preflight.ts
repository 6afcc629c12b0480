import type {CheckResult, ClusterMode} from '../types.js'
import type {AccessRequest, KubeApi} from './kube-api.js'

export interface Permission {
  verb: string
  resource: string
  subresource?: string
  /** Why the probe needs it, shown when it is missing. */
  why: string
  clusterScoped?: boolean
  /** The probe copes without it: a missing one is named in the report (what it could not do) and the run goes on. */
  optional?: boolean
}

const POD_LIFECYCLE: Permission[] = [
  {verb: 'create', resource: 'pods', why: 'to create the probe pod'},
  {verb: 'get', resource: 'pods', why: 'to follow the probe pod while it starts'},
  {verb: 'delete', resource: 'pods', why: 'to remove the probe pod afterwards'},
  {verb: 'list', resource: 'pods', why: 'to find and remove leftover probe pods of earlier runs', optional: true},
  {verb: 'get', resource: 'pods', subresource: 'log', why: 'to read the report the checks print'},
  {verb: 'list', resource: 'events', why: 'to explain a pod that does not start (FailedScheduling, pull errors)', optional: true},
]

const EXEC: Permission[] = [
  {verb: 'get', resource: 'pods', subresource: 'exec', why: 'to run the checks in the job pod (WebSocket exec is a GET)'},
  {
    verb: 'create',
    resource: 'pods',
    subresource: 'exec',
    why: 'to run the checks in the job pod (required for WebSocket exec since Kubernetes 1.35)',
  },
]

/** Every permission a mode needs, so a missing one is named before anything is created. */
export function requiredPermissions(mode: ClusterMode, options: {findByJobId?: boolean} = {}): Permission[] {
  switch (mode) {
    case 'mirror-pod':
      return POD_LIFECYCLE
    case 'all-nodes':
      return [...POD_LIFECYCLE, {verb: 'list', resource: 'nodes', why: 'to start one probe pod per node', clusterScoped: true}]
    case 'job-pod':
      return [
        {verb: 'get', resource: 'pods', why: 'to read the job pod'},
        ...(options.findByJobId ? [{verb: 'list', resource: 'pods', why: 'to find the job pod by its job id'}] : []),
        ...EXEC,
      ]
    case 'ephemeral':
      return [
        {verb: 'get', resource: 'pods', why: 'to read the job pod'},
        ...(options.findByJobId ? [{verb: 'list', resource: 'pods', why: 'to find the job pod by its job id'}] : []),
        ...EXEC,
        {verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', why: 'to add the probe container to the job pod'},
        {verb: 'get', resource: 'pods', subresource: 'log', why: 'to read the report the checks print'},
      ]
    case 'cleanup':
      return [
        {verb: 'list', resource: 'pods', why: 'to find leftover probe pods'},
        {verb: 'delete', resource: 'pods', why: 'to remove leftover probe pods'},
      ]
  }
}

export function describePermission(permission: Permission): string {
  return `${permission.verb} ${permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource}`
}

/** The report line for an optional permission that is missing: what the probe could not do without it. */
export function degradedBy(missing: Permission[]): string {
  return missing
    .map((p) => `${describePermission(p)} is missing: the probe runs without it, but cannot ${p.why.replace(/^to /, '')}`)
    .join('; ')
}

/** Asks the API server about each permission (SelfSubjectAccessReview needs no grant of its own). */
export async function missingPermissions(kube: KubeApi, namespace: string, permissions: Permission[]): Promise<Permission[]> {
  const answers = await Promise.all(
    permissions.map((permission) => {
      const request: AccessRequest = {
        verb: permission.verb,
        resource: permission.resource,
        subresource: permission.subresource,
        namespace: permission.clusterScoped ? undefined : namespace,
      }
      return kube.selfSubjectAccessReview(request)
    }),
  )
  return permissions.filter((_, index) => !answers[index]!.allowed)
}

/** A Role granting exactly the missing permissions, for the report's evidence. */
export function roleSnippet(namespace: string, missing: Permission[]): string {
  const byResource = new Map<string, Set<string>>()
  for (const permission of missing.filter((p) => !p.clusterScoped)) {
    const resource = permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource
    byResource.set(resource, (byResource.get(resource) ?? new Set()).add(permission.verb))
  }
  const rules = [...byResource].map(
    ([resource, verbs]) =>
      `  - apiGroups: [""]\n    resources: ["${resource}"]\n    verbs: [${[...verbs].map((v) => `"${v}"`).join(', ')}]`,
  )
  return [`kind: Role`, `metadata: {name: runner-doctor-probe, namespace: ${namespace}}`, 'rules:', ...rules].join('\n')
}

interface PreflightOutcome {
  denied?: Omit<CheckResult, 'status' | 'durationMs'>
  /** Optional permissions that are missing: the run goes on without what they give. */
  degraded: Permission[]
}

/** Checks every permission the mode needs before anything is created: a missing one denies the run, an optional one degrades it. */
export async function preflight(
  kube: KubeApi,
  namespace: string,
  mode: ClusterMode,
  findByJobId: boolean,
  progress: (m: string) => void,
): Promise<PreflightOutcome> {
  const permissions = requiredPermissions(mode, {findByJobId})
  progress(`Checking ${permissions.length} permissions in namespace ${namespace}${kube.identity?.as ? ` as ${kube.identity.as}` : ''}.`)
  const all = await missingPermissions(kube, namespace, permissions)
  const degraded = all.filter((p) => p.optional)
  if (degraded.length) progress(`${degradedBy(degraded)}.`)
  const missing = all.filter((p) => !p.optional)
  if (!missing.length) return {degraded}
  const named = missing.map(describePermission).join(', ')
  return {
    degraded,
    denied: {
      id: 'kube-permissions',
      summary: `Missing permission${missing.length === 1 ? '' : 's'} in namespace ${namespace}: ${named}.`,
      evidence: [...missing.map((p) => `${describePermission(p)}: needed ${p.why}`), roleSnippet(namespace, missing)],
      cause: kube.identity?.as
        ? `${kube.identity.as} is not bound to a Role granting what the probe needs.`
        : 'The kubeconfig user or service account is not bound to a Role granting what the probe needs.',
      remediation:
        `Apply examples/probe-rbac.yaml in namespace ${namespace} (or add the rules above to your Role) ` +
        `and bind it to ${kube.identity?.as ?? 'your user'}.`,
    },
  }
}

/** A warning naming the optional permissions that are missing and what the report lacks because of them. */
export function degradedCheck(degraded: Permission[], namespace: string): CheckResult {
  const named = degraded.map(describePermission).join(', ')
  const permissions = `permission${degraded.length === 1 ? '' : 's'}`
  return {
    id: 'kube-permissions-optional',
    status: 'warn',
    summary: `Optional ${permissions} missing in namespace ${namespace}: ${named}; the report has less evidence.`,
    evidence: degraded.map((p) => `${describePermission(p)}: ${p.why}`),
    remediation: `Grant ${named} (examples/probe-rbac.yaml has them).`,
    durationMs: 0,
  }
}
