/*
 * What `lint --cluster` read from the cluster, as plain data: the cluster reader (src/cluster) fills it in, the
 * cluster rules judge the runner config against it. Nothing here knows how it was read.
 */

/** A fact that was read, or why it could not be: `what` says what was tried ("list nodes"), `reason` what the API said. */
export type Reading<T> = {ok: true; value: T} | {ok: false; what: string; reason: string}

/** Requests, limits or room in millicores and bytes. */
export interface CpuMemory {
  cpuMillicores: number
  memoryBytes: number
}

export interface Taint {
  key: string
  value?: string
  effect: string
}

export interface NodeFacts {
  name: string
  labels: Record<string, string>
  taints: Taint[]
  unschedulable: boolean
  allocatable: CpuMemory & {pods: number}
}

/** What the pods already on a node request, which the scheduler subtracts from its allocatable. */
export interface NodeUsage extends CpuMemory {
  pods: number
}

export interface ResourceQuotaFacts {
  name: string
  /** Quota names (`requests.cpu`, `limits.memory`, `pods`, `count/pods` ...) to amounts: CPU in cores, memory in bytes. */
  hard: Record<string, number>
  used: Record<string, number>
}

/** One entry of a LimitRange's `limits`, amounts as in ResourceQuotaFacts. */
export interface LimitRangeItem {
  type: string
  default: Record<string, number>
  defaultRequest: Record<string, number>
  max: Record<string, number>
  min: Record<string, number>
}

export interface LimitRangeFacts {
  name: string
  items: LimitRangeItem[]
}

/**
 * The namespace's `pod-security.kubernetes.io/enforce` level; unlabelled namespaces are `privileged` unless the
 * admission config says otherwise.
 */
export interface PodSecurityFacts {
  enforce?: string
  enforceVersion?: string
}

export interface NamespaceFacts {
  name: string
  podSecurity: Reading<PodSecurityFacts>
  quotas: Reading<ResourceQuotaFacts[]>
  limitRanges: Reading<LimitRangeFacts[]>
}

/** One permission, as a SubjectAccessReview asks it. */
export interface Permission {
  verb: string
  resource: string
  subresource?: string
  group?: string
}

export interface PermissionAnswer extends Permission {
  namespace: string
  allowed: boolean
}

/** The runner configuration a deployed ConfigMap holds, parsed. */
export interface DeployedConfig {
  name: string
  /** Its config.toml: the global settings (and the runners, when it holds a whole config). */
  global: Record<string, unknown>
  /** The [[runners]] of its config.template.toml (the chart's runners.config), else of config.toml. */
  runners?: unknown[]
  /** Keys that are not valid TOML, with the parser's message. */
  errors: string[]
}

/** The deployed runner manager: its Deployment, the ConfigMap it mounts and the Secrets it names (metadata only). */
export interface RunnerDeploymentFacts {
  namespace: string
  name: string
  serviceAccount: string
  /** The runner container's image. */
  image?: string
  /** The Deployment's `chart` label (gitlab-runner-0.80.1), or helm.sh/chart. */
  chart?: string
  configMap: Reading<DeployedConfig> | undefined
  /** Secrets the pod template names, and whether each exists; their data is never read. */
  secrets: Array<
    {name: string; exists: true} | {name: string; exists: false} | {name: string; exists: undefined; what: string; reason: string}
  >
}

export interface ClusterFacts {
  /** The kubeconfig context (or cluster) name, for messages. */
  cluster: string
  /** The namespace of the runner manager: -n, else the context's namespace. */
  runnerNamespace: string
  nodes: Reading<NodeFacts[]>
  /** Requests of the pods already scheduled, by node name. */
  usage: Reading<Record<string, NodeUsage>>
  namespaces: Record<string, NamespaceFacts>
  /** The runner Deployment found in runnerNamespace; undefined value when there is none, or `ambiguous` names them all. */
  runner: Reading<RunnerDeploymentFacts | {ambiguous: string[]} | undefined>
  /** What the runner's ServiceAccount may do in each job namespace; unreadable when no deployment says which account. */
  access: Reading<PermissionAnswer[]>
}

/** Reads cluster facts for the job namespaces a config names; each namespace and the cluster-wide facts are read once. */
export interface ClusterSource {
  /** Where the runner manager runs, and its jobs unless the config names another namespace. */
  readonly runnerNamespace: string
  facts(jobNamespaces: string[]): Promise<ClusterFacts>
}

/** The namespace a runner's job pods go to: its literal `namespace`, else the runner's own (the chart's default). */
export function jobNamespaceOf(kubernetes: Record<string, unknown> | undefined, runnerNamespace: string): string {
  const configured = kubernetes?.namespace
  return typeof configured === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(configured) ? configured : runnerNamespace
}
