import {parse as parseToml} from 'smol-toml'

import {isPlainObject} from '../model/chart.js'
import type {
  ClusterFacts,
  ClusterSource,
  DeployedConfig,
  LimitRangeFacts,
  NamespaceFacts,
  NodeFacts,
  NodeUsage,
  PermissionAnswer,
  Reading,
  ResourceQuotaFacts,
  RunnerDeploymentFacts,
} from '../model/cluster/facts.js'
import {EXECUTOR_PERMISSIONS} from '../model/cluster/runner-access.js'
import {parseQuantity} from '../model/quantity.js'
import {ClusterUnavailableError, KubeReader, KubeReadError, type KubeTarget, METADATA_ONLY, type ReadBudget} from './kube-http.js'

/*
 * Reads what the cluster rules need, with get and list only (plus access reviews, which persist nothing): nodes,
 * the pods' requests per node, each job namespace's labels, ResourceQuotas and LimitRanges, the runner Deployment,
 * the ConfigMap it mounts, the metadata of the Secrets it names, and what its ServiceAccount may do. Whatever cannot
 * be read becomes a Reading that says so; the rules turn that into one info finding each.
 */

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

interface List {
  items: Json[]
  metadata?: {continue?: string}
}

/** At most this many pages of any list (500 items each): enough for 5000 nodes or pods, and a bound on the calls. */
const MAX_PAGES = 10
const RUNNER_CHART = /^gitlab-runner-/

function quantities(map: unknown): Record<string, number> {
  const out: Record<string, number> = {}
  if (!isPlainObject(map)) return out
  for (const [key, raw] of Object.entries(map)) {
    const value = parseQuantity(raw)
    if (value !== undefined) out[key] = value
  }
  return out
}

function describe(error: unknown): string {
  if (error instanceof KubeReadError) return error.kind === 'forbidden' ? `forbidden: ${error.message}` : error.message
  throw error
}

async function reading<T>(what: string, read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return {ok: true, value: await read()}
  } catch (error) {
    return {ok: false, what, reason: describe(error)}
  }
}

async function listAll(reader: KubeReader, path: string, accept?: string): Promise<Json[]> {
  const items: Json[] = []
  let next: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    // limit=500 pages the list; each page is one call of the budget.
    const sep = path.includes('?') ? '&' : '?'
    const list = await reader.get<List>(`${path}${sep}limit=500${next ? `&continue=${encodeURIComponent(next)}` : ''}`, accept)
    items.push(...list.items)
    next = list.metadata?.continue
    if (!next) return items
  }
  // A partial list would make the sums look smaller than they are: better unread than wrong.
  throw new KubeReadError('budget', `more than ${MAX_PAGES * 500} items; lint reads at most that many`)
}

function nodeFacts(node: Json): NodeFacts {
  const allocatable = quantities(node.status?.allocatable)
  return {
    name: node.metadata.name,
    labels: node.metadata.labels ?? {},
    taints: (node.spec?.taints ?? []).map((t: Json) => ({key: t.key, value: t.value, effect: t.effect})),
    unschedulable: node.spec?.unschedulable === true,
    allocatable: {
      cpuMillicores: Math.round((allocatable.cpu ?? 0) * 1000),
      memoryBytes: allocatable.memory ?? 0,
      pods: allocatable.pods ?? 110,
    },
  }
}

/** A pod's requests as the scheduler counts them: its containers' sum, or its largest init container when that is more. */
function podRequests(pod: Json): {cpu: number; memory: number} {
  const sum = (containers: Json[] | undefined) =>
    (containers ?? []).reduce(
      (acc, c) => {
        const r = quantities(c.resources?.requests)
        return {cpu: acc.cpu + (r.cpu ?? 0), memory: acc.memory + (r.memory ?? 0)}
      },
      {cpu: 0, memory: 0},
    )
  const main = sum(pod.spec?.containers)
  const init = (pod.spec?.initContainers ?? []).map((c: Json) => sum([c]))
  const overhead = quantities(pod.spec?.overhead)
  return {
    cpu: Math.max(main.cpu, ...init.map((i: {cpu: number}) => i.cpu)) + (overhead.cpu ?? 0),
    memory: Math.max(main.memory, ...init.map((i: {memory: number}) => i.memory)) + (overhead.memory ?? 0),
  }
}

function usageByNode(pods: Json[]): Record<string, NodeUsage> {
  const usage: Record<string, NodeUsage> = {}
  for (const pod of pods) {
    const node = pod.spec?.nodeName
    if (!node) continue
    const r = podRequests(pod)
    const u = (usage[node] ??= {cpuMillicores: 0, memoryBytes: 0, pods: 0})
    u.cpuMillicores += Math.round(r.cpu * 1000)
    u.memoryBytes += r.memory
    u.pods += 1
  }
  return usage
}

function limitRangeFacts(item: Json): LimitRangeFacts {
  return {
    name: item.metadata.name,
    items: (item.spec?.limits ?? []).map((l: Json) => ({
      type: l.type,
      default: quantities(l.default),
      defaultRequest: quantities(l.defaultRequest),
      max: quantities(l.max),
      min: quantities(l.min),
    })),
  }
}

function quotaFacts(item: Json): ResourceQuotaFacts {
  return {name: item.metadata.name, hard: quantities(item.status?.hard ?? item.spec?.hard), used: quantities(item.status?.used)}
}

async function namespaceFacts(reader: KubeReader, name: string): Promise<NamespaceFacts> {
  const ns = encodeURIComponent(name)
  const [podSecurity, quotas, limitRanges] = await Promise.all([
    reading(`get namespace ${name}`, async () => {
      const labels: Record<string, string> = (await reader.get<Json>(`/api/v1/namespaces/${ns}`)).metadata?.labels ?? {}
      return {enforce: labels['pod-security.kubernetes.io/enforce'], enforceVersion: labels['pod-security.kubernetes.io/enforce-version']}
    }),
    reading(`list resourcequotas in ${name}`, async () =>
      (await listAll(reader, `/api/v1/namespaces/${ns}/resourcequotas`)).map(quotaFacts),
    ),
    reading(`list limitranges in ${name}`, async () =>
      (await listAll(reader, `/api/v1/namespaces/${ns}/limitranges`)).map(limitRangeFacts),
    ),
  ])
  return {name, podSecurity, quotas, limitRanges}
}

function isRunnerDeployment(deployment: Json): boolean {
  const labels: Record<string, string> = deployment.metadata?.labels ?? {}
  if (
    RUNNER_CHART.test(labels.chart ?? '') ||
    RUNNER_CHART.test(labels['helm.sh/chart'] ?? '') ||
    labels['app.kubernetes.io/name'] === 'gitlab-runner'
  )
    return true
  return (deployment.spec?.template?.spec?.containers ?? []).some((c: Json) => /gitlab-runner(?!-helper)[^/]*(:|@|$)/.test(String(c.image)))
}

/** Secrets a pod template names: volumes, env and envFrom. */
function secretNames(spec: Json): string[] {
  const names = new Set<string>()
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName) names.add(v.secret.secretName)
    for (const s of v.projected?.sources ?? []) if (s.secret?.name) names.add(s.secret.name)
  }
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name) names.add(e.valueFrom.secretKeyRef.name)
    for (const e of c.envFrom ?? []) if (e.secretRef?.name) names.add(e.secretRef.name)
  }
  return [...names].slice(0, 8)
}

/** The ConfigMap keys that hold the runner's configuration; everything else in it (scripts) is left alone. */
const CONFIG_KEYS = ['config.toml', 'config.template.toml']

async function runnerFacts(reader: KubeReader, namespace: string): Promise<RunnerDeploymentFacts | {ambiguous: string[]} | undefined> {
  const ns = encodeURIComponent(namespace)
  const runners = (await listAll(reader, `/apis/apps/v1/namespaces/${ns}/deployments`)).filter(isRunnerDeployment)
  if (runners.length === 0) return undefined
  if (runners.length > 1) return {ambiguous: runners.map((d) => d.metadata.name).sort()}
  const deployment = runners[0]
  const spec = deployment.spec?.template?.spec ?? {}
  const container = (spec.containers ?? []).find((c: Json) => /gitlab-runner/.test(String(c.image))) ?? spec.containers?.[0]
  const labels: Record<string, string> = deployment.metadata?.labels ?? {}
  const configMapNames: string[] = (spec.volumes ?? []).filter((v: Json) => v.configMap?.name).map((v: Json) => v.configMap.name)
  let configMap: RunnerDeploymentFacts['configMap']
  for (const name of configMapNames.slice(0, 4)) {
    const read = await reading(`get configmap ${namespace}/${name}`, async () => {
      const data: Record<string, string> =
        (await reader.get<Json>(`/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(name)}`)).data ?? {}
      return CONFIG_KEYS.some((key) => data[key] !== undefined) ? {name, ...parseDeployedConfig(data)} : undefined
    })
    if (!read.ok || read.value) {
      configMap = read as Reading<DeployedConfig>
      break
    }
  }
  const secrets = await Promise.all(
    secretNames(spec).map(async (name) => {
      try {
        // Metadata only: the answer carries no data, and lint never asks for it.
        await reader.get(`/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(name)}`, METADATA_ONLY)
        return {name, exists: true as const}
      } catch (error) {
        if (error instanceof KubeReadError && error.kind === 'not-found') return {name, exists: false as const}
        return {name, exists: undefined, what: `get the metadata of secret ${namespace}/${name}`, reason: describe(error)}
      }
    }),
  )
  return {
    namespace,
    name: deployment.metadata.name,
    serviceAccount: spec.serviceAccountName || spec.serviceAccount || 'default',
    image: container?.image,
    chart: labels.chart ?? labels['helm.sh/chart'],
    configMap,
    secrets,
  }
}

/** Runs `work` over `items`, at most `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(work))))
  return out
}

interface ReviewStatus {
  status?: {allowed?: boolean}
}

/**
 * What the runner's ServiceAccount may do in the job namespaces: SubjectAccessReview when the reader may create one,
 * else SelfSubjectAccessReview as the account (impersonation). Both persist nothing.
 */
async function accessOf(
  reader: KubeReader,
  namespace: string,
  serviceAccount: string,
  jobNamespaces: string[],
): Promise<PermissionAnswer[]> {
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`
  const groups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated']
  const asks = jobNamespaces.flatMap((ns) => EXECUTOR_PERMISSIONS.map((p) => ({ns, p})))
  const attributes = ({ns, p}: (typeof asks)[number]) => ({
    namespace: ns,
    verb: p.verb,
    group: p.group ?? '',
    resource: p.resource,
    subresource: p.subresource ?? '',
  })
  const answer = ({ns, p}: (typeof asks)[number], review: ReviewStatus): PermissionAnswer => ({
    verb: p.verb,
    resource: p.resource,
    subresource: p.subresource,
    group: p.group,
    namespace: ns,
    allowed: review.status?.allowed === true,
  })
  try {
    const sar = (ask: (typeof asks)[number]) =>
      reader.review<ReviewStatus>('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {user, groups, resourceAttributes: attributes(ask)},
      })
    const first = answer(asks[0], await sar(asks[0]))
    return [first, ...(await inBatches(asks.slice(1), 6, async (ask) => answer(ask, await sar(ask))))]
  } catch (error) {
    if (!(error instanceof KubeReadError && error.kind === 'forbidden')) throw error
  }
  try {
    return await inBatches(asks, 6, async (ask) =>
      answer(
        ask,
        await reader.review<ReviewStatus>(
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: attributes(ask)}},
          // Only the user: for a ServiceAccount name the API server adds its groups itself, so no group
          // impersonation (a wider permission) is needed.
          {user, groups: []},
        ),
      ),
    )
  } catch (error) {
    if (error instanceof KubeReadError && error.kind === 'forbidden') {
      throw new KubeReadError('forbidden', `neither create subjectaccessreviews nor impersonate ${user} is allowed`, 403)
    }
    throw error
  }
}

export interface ClusterReadOptions extends KubeTarget {
  /** The runner's namespace: -n, else the kubeconfig context's. */
  namespace?: string
  budget?: ReadBudget
}

export interface OpenCluster {
  source: ClusterSource
  /** API calls made so far and the time they took, for --verbose. */
  stats(): {calls: number; elapsedMs: number; server: string}
}

/**
 * Opens the kubeconfig and checks that the API server answers (GET /version). A cluster that cannot be used at all
 * throws ClusterUnavailableError; everything after that degrades to Readings that say what could not be read.
 */
export async function openCluster(options: ClusterReadOptions): Promise<OpenCluster> {
  const reader = await KubeReader.open(options, options.budget)
  try {
    await reader.get('/version')
  } catch (error) {
    const reason = error instanceof KubeReadError ? error.message : String(error)
    const what = error instanceof KubeReadError && error.kind === 'unauthorized' ? 'rejected the credentials' : 'cannot be reached'
    throw new ClusterUnavailableError(`the cluster API at ${reader.server.origin} ${what}: ${reason}`)
  }
  const runnerNamespace = options.namespace ?? reader.contextNamespace
  const once = new Map<string, Promise<unknown>>()
  const memo = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!once.has(key)) once.set(key, read())
    return once.get(key) as Promise<T>
  }
  const source: ClusterSource = {
    runnerNamespace,
    async facts(jobNamespaces) {
      const namespaces = [...new Set(jobNamespaces.length > 0 ? jobNamespaces : [runnerNamespace])].sort()
      const [nodes, usage, runner] = await Promise.all([
        memo('nodes', () => reading('list nodes', async () => (await listAll(reader, '/api/v1/nodes')).map(nodeFacts))),
        memo('usage', () =>
          reading('list pods in all namespaces', async () =>
            usageByNode(
              await listAll(reader, '/api/v1/pods?fieldSelector=' + encodeURIComponent('status.phase!=Succeeded,status.phase!=Failed')),
            ),
          ),
        ),
        memo('runner', () => reading(`list deployments in ${runnerNamespace}`, () => runnerFacts(reader, runnerNamespace))),
      ])
      const facts: ClusterFacts = {
        cluster: reader.contextName,
        runnerNamespace,
        nodes,
        usage,
        runner,
        namespaces: {},
        access: {ok: true, value: []},
      }
      for (const ns of namespaces) facts.namespaces[ns] = await memo(`ns:${ns}`, () => namespaceFacts(reader, ns))
      const deployment = runner.ok && runner.value && !('ambiguous' in runner.value) ? runner.value : undefined
      facts.access = deployment
        ? await memo(`access:${namespaces.join(',')}`, () =>
            reading(`check the permissions of ServiceAccount ${runnerNamespace}/${deployment.serviceAccount}`, () =>
              accessOf(reader, runnerNamespace, deployment.serviceAccount, namespaces),
            ),
          )
        : {
            ok: false,
            what: `the runner's ServiceAccount in ${runnerNamespace}`,
            reason: runner.ok ? 'no runner Deployment found there' : runner.reason,
          }
      return facts
    },
  }
  return {source, stats: () => ({calls: reader.calls, elapsedMs: reader.elapsedMs, server: reader.server.origin})}
}

/** The deployed ConfigMap's config.toml and config.template.toml, parsed; a key that is not TOML is left out with a note. */
export function parseDeployedConfig(data: Record<string, string>): Omit<DeployedConfig, 'name'> {
  const errors: string[] = []
  const parse = (key: string): Record<string, unknown> | undefined => {
    if (data[key] === undefined) return undefined
    try {
      return parseToml(data[key]) as Record<string, unknown>
    } catch (error) {
      errors.push(`${key}: ${(error as Error).message.split('\n')[0]}`)
      return undefined
    }
  }
  const global = parse('config.toml') ?? {}
  const template = parse('config.template.toml')
  const runners = Array.isArray(template?.runners) ? template.runners : Array.isArray(global.runners) ? global.runners : undefined
  return {global, runners, errors}
}

export {ClusterUnavailableError}
