import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import type {TomlTarget} from '../../inputs/targets.js'
import {isPlainObject} from '../../model/chart.js'
import {parseQuantity} from '../../model/quantity.js'
import {concurrentOf, environmentMap, runnersOf, type RunnerView} from '../../model/runners.js'
import {encodePointer} from '../../inputs/yaml-source.js'
import {isPlaceholder} from '../../model/secrets.js'
import {imageReference} from '../../model/images.js'
import type {FunctionResult, RuleFunction} from './types.js'

/** A TOML value where a string belongs may be a table; String() of a table can throw (a `toString` key). */
function stringOrEmpty(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

type Settings = Record<string, unknown>

/** Each Kubernetes runner's `[runners.kubernetes]` table with its pointer (the runner view keeps the rest). */
function kubernetesRunners(target: TomlTarget): Array<RunnerView & {k: Settings; kp: string}> {
  return runnersOf(target)
    .filter((r) => r.executor === 'kubernetes' && r.kubernetes)
    .map((r) => ({...r, k: r.kubernetes!, kp: `${r.pointer}/kubernetes`}))
}

function perRunner(check: (r: RunnerView & {k: Settings; kp: string}, target: TomlTarget) => FunctionResult[]): RuleFunction {
  return ({target}) => (target.type === 'config-toml' ? kubernetesRunners(target).flatMap((r) => check(r, target)) : [])
}

const literal = (v: unknown): v is string => typeof v === 'string' && !isTemplatePlaceholder(v) && !isPlaceholder(v) && !v.includes('$')
// Regexes end in `$`, so they are only skipped when a template or deploy-time placeholder stands in for them.
const literalRegex = (v: unknown): v is string => typeof v === 'string' && !isTemplatePlaceholder(v) && !isPlaceholder(v)
const asList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

// ---- Images ----------------------------------------------------------------------------------------------

const HELPER_FLAVORS = ['alpine', 'alpine3.18', 'alpine3.19', 'alpine3.21', 'alpine-latest', 'ubi-fips', 'ubuntu']

export const helperImageFlavorInvalid = perRunner(({k, kp}) => {
  const flavor = k.helper_image_flavor
  if (!literal(flavor) || flavor === '' || HELPER_FLAVORS.includes(flavor)) return []
  return [{pointer: `${kp}/helper_image_flavor`, message: `helper_image_flavor = "${flavor}" is not a helper image flavor (${HELPER_FLAVORS.join(', ')}): the helper image cannot be pulled.`}]
})

export const helperImageVersionMismatch = perRunner(({k, kp}, target) => {
  const image = k.helper_image
  if (!literal(image) || image.trim() === '') return []
  const ref = imageReference(image.trim())
  if (ref.digest) return []
  const pointer = `${kp}/helper_image`
  if (ref.tag === undefined || /(^|-)(latest|bleeding)$/.test(ref.tag)) {
    return [{pointer, message: `helper_image "${image}" follows a moving tag; the helper must match the runner's version exactly. Tag it with \${CI_RUNNER_REVISION} or the runner's vX.Y.Z.`}]
  }
  const pinned = /v(\d+\.\d+)\.\d+/.exec(ref.tag)?.[1]
  const runner = target.runnerVersion && /^(\d+\.\d+)/.exec(target.runnerVersion)?.[1]
  if (!pinned || !runner || pinned === runner) return []
  return [{pointer, message: `helper_image is pinned to ${pinned}.x but the runner is ${target.runnerVersion}: the helper and the runner are released together and must match.`}]
})

// ---- Security --------------------------------------------------------------------------------------------

const CONTAINER_CONTEXTS = ['build_container_security_context', 'helper_container_security_context', 'service_container_security_context', 'init_permissions_container_security_context']

export const privilegeEscalationAllowed = perRunner(({k, kp}) => {
  const out: FunctionResult[] = []
  if (k.allow_privilege_escalation === true) out.push({pointer: `${kp}/allow_privilege_escalation`, message: 'allow_privilege_escalation = true lets job processes gain privileges through setuid binaries; the Pod Security Standards restricted profile forbids it.'})
  for (const ctx of CONTAINER_CONTEXTS) {
    const c = k[ctx]
    if (isPlainObject(c) && c.allow_privilege_escalation === true) out.push({pointer: `${kp}/${ctx}/allow_privilege_escalation`, message: `${ctx}.allow_privilege_escalation = true lets processes in that container gain privileges.`})
  }
  return out
})

const SOCKETS = /(docker|containerd|crio|cri-dockerd|podman)\.sock$|\/var\/run\/docker$|\/run\/containerd$/
const SENSITIVE = new Set(['/', '/etc', '/var/run', '/run', '/proc', '/sys', '/root', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/dev', '/boot', '/var/log'])

function hostPaths(k: Settings, kp: string): Array<{path: string; pointer: string}> {
  const volumes = isPlainObject(k.volumes) ? k.volumes : {}
  const list = Array.isArray(volumes.host_path) ? volumes.host_path : []
  return list.flatMap((v, i) => (isPlainObject(v) && typeof v.host_path === 'string' ? [{path: v.host_path.replace(/\/+$/, '') || '/', pointer: `${kp}/volumes/host_path/${i}/host_path`}] : []))
}

export const containerSocketMounted = perRunner(({k, kp}) =>
  hostPaths(k, kp)
    .filter((h) => SOCKETS.test(h.path))
    .map((h) => ({pointer: h.pointer, message: `host_path ${h.path} hands the node's container runtime to every job: a job can start privileged containers on the node and read other jobs' data.`})),
)

export const sensitiveHostPath = perRunner(({k, kp}) =>
  hostPaths(k, kp)
    .filter((h) => SENSITIVE.has(h.path))
    .map((h) => ({pointer: h.pointer, message: `host_path ${h.path} mounts a sensitive node directory into job pods.`})),
)

const DANGEROUS_CAPS = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'NET_RAW', 'SYS_RAWIO', 'BPF', 'PERFMON'])

export const dangerousCapabilities = perRunner(({k, kp}) => {
  const out: FunctionResult[] = []
  const check = (list: unknown, base: string) =>
    asList(list).forEach((cap, i) => {
      const name = cap.toUpperCase().replace(/^CAP_/, '')
      if (DANGEROUS_CAPS.has(name)) out.push({pointer: `${base}/${i}`, message: `Adding capability ${cap} to job containers ${name === 'NET_RAW' ? 'undoes the runner’s default drop of NET_RAW (packet spoofing)' : 'gives jobs near-root control of the node kernel'}.`})
    })
  check(k.cap_add, `${kp}/cap_add`)
  for (const ctx of CONTAINER_CONTEXTS) {
    const c = k[ctx]
    if (isPlainObject(c) && isPlainObject(c.capabilities)) check(c.capabilities.add, `${kp}/${ctx}/capabilities/add`)
  }
  return out
})

export const procMountInvalid = perRunner(({k, kp}) =>
  CONTAINER_CONTEXTS.flatMap((ctx) => {
    const c = k[ctx]
    if (!isPlainObject(c) || !literal(c.proc_mount) || c.proc_mount.trim() === '') return []
    if (['default', 'unmasked'].includes(c.proc_mount.trim().toLowerCase())) return []
    return [{pointer: `${kp}/${ctx}/proc_mount`, message: `proc_mount = "${c.proc_mount}" is neither default nor unmasked: the runner logs an error and ignores it.`}]
  }),
)

function anyPrivileged(k: Settings): boolean {
  return k.privileged === true || CONTAINER_CONTEXTS.some((ctx) => isPlainObject(k[ctx]) && (k[ctx] as Settings).privileged === true)
}

function privilegedPointer(k: Settings, kp: string): string {
  if (k.privileged === true) return `${kp}/privileged`
  const ctx = CONTAINER_CONTEXTS.find((c) => isPlainObject(k[c]) && (k[c] as Settings).privileged === true)
  return ctx ? `${kp}/${ctx}/privileged` : kp
}

export const privilegedWithoutNodeIsolation = perRunner(({k, kp}) => {
  if (!anyPrivileged(k)) return []
  const selector = isPlainObject(k.node_selector) && Object.keys(k.node_selector).length > 0
  const affinity = isPlainObject(k.affinity) && isPlainObject(k.affinity.node_affinity)
  if (selector || affinity) return []
  return [{pointer: privilegedPointer(k, kp), message: 'Privileged job pods can land on any node, next to other workloads whose data they can then reach: no node_selector or node affinity keeps them on dedicated nodes.'}]
})

export const privilegedWithoutImageAllowlist = perRunner(({k, kp}) => {
  if (!anyPrivileged(k)) return []
  const onlyServices = k.privileged !== true && !['build_container_security_context', 'helper_container_security_context'].some((c) => isPlainObject(k[c]) && (k[c] as Settings).privileged === true)
  const images = asList(k.allowed_images)
  const services = asList(k.allowed_services)
  if (onlyServices ? services.length > 0 : images.length > 0 && services.length > 0) return []
  const missing = onlyServices ? 'allowed_services' : [images.length === 0 && 'allowed_images', services.length === 0 && 'allowed_services'].filter(Boolean).join(' and ')
  return [{pointer: privilegedPointer(k, kp), message: `Containers run privileged and ${missing} is empty, so any image a job names runs with full access to the node.`}]
})

export const jobsInSystemNamespace = perRunner(({k, kp}) => {
  const ns = k.namespace
  if (!literal(ns) || !/^kube-(system|public|node-lease)$/.test(ns.trim())) return []
  return [{pointer: `${kp}/namespace`, message: `Job pods run in ${ns}, next to the cluster's own components and their service account tokens and secrets.`}]
})

// ---- Overwrite regexes ------------------------------------------------------------------------------------

const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default']

/** Top-level alternatives of a regular expression (`a|b` outside groups). */
function alternatives(regex: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]
    if (c === '\\') i++
    else if (c === '(' || c === '[') depth++
    else if ((c === ')' || c === ']') && depth > 0) depth--
    else if (c === '|' && depth === 0) {
      out.push(regex.slice(start, i))
      start = i + 1
    }
  }
  out.push(regex.slice(start))
  return out
}

export function isAnchored(regex: string): boolean {
  return alternatives(regex).every((alt) => /^(\^|\\A)/.test(alt) && /(\$|\\z)$/.test(alt) && !/\\\$$/.test(alt))
}

/** Go's RE2 rejects look-around and back-references; JavaScript accepts them. */
export function re2Problem(regex: string): string | undefined {
  if (/\(\?<?[=!]/.test(regex)) return 'look-ahead and look-behind are not supported by Go regular expressions'
  if (/\\[1-9]/.test(regex)) return 'back-references are not supported by Go regular expressions'
  if (/\(\?>/.test(regex)) return 'atomic groups are not supported by Go regular expressions'
  try {
    new RegExp(regex.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^'))
  } catch (error) {
    return `it does not compile (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`
  }
  return undefined
}

function jsRegex(regex: string): RegExp | undefined {
  try {
    return new RegExp(regex.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^'))
  } catch {
    return undefined
  }
}

const OVERWRITE_KEYS = [
  'namespace_overwrite_allowed',
  'service_account_overwrite_allowed',
  'node_selector_overwrite_allowed',
  'node_tolerations_overwrite_allowed',
  'pod_labels_overwrite_allowed',
  'pod_annotations_overwrite_allowed',
]

/** Overwrite regexes are matched with Go's unanchored MatchString: `ci-.*` also allows `prod-ci-x`. */
export const overwriteRegexUnanchored: RuleFunction = ({target, options}) => {
  if (target.type !== 'config-toml') return []
  const keys = Array.isArray(options.keys) ? (options.keys as string[]) : OVERWRITE_KEYS
  return kubernetesRunners(target).flatMap(({k, kp}) =>
    keys.flatMap((key) => {
      const regex = k[key]
      if (!literalRegex(regex) || regex === '' || re2Problem(regex) || isAnchored(regex)) return []
      return [{pointer: `${kp}/${key}`, message: `${key} = "${regex}" is not anchored: the runner accepts any value that merely contains a match. Write it as ^(…)$.`}]
    }),
  )
}

export const namespaceOverwriteMatchesSystem = perRunner(({k, kp}) => {
  const regex = k.namespace_overwrite_allowed
  if (!literalRegex(regex) || regex === '') return []
  const re = jsRegex(regex)
  const hits = re ? SYSTEM_NAMESPACES.filter((ns) => re.test(ns)) : []
  if (hits.length === 0) return []
  return [{pointer: `${kp}/namespace_overwrite_allowed`, message: `namespace_overwrite_allowed = "${regex}" lets a job set KUBERNETES_NAMESPACE_OVERWRITE to ${hits.join(', ')} and run there.`}]
})

export const overwriteRegexInvalid = perRunner(({k, kp}) =>
  OVERWRITE_KEYS.flatMap((key) => {
    const regex = k[key]
    if (!literalRegex(regex) || regex === '') return []
    const problem = re2Problem(regex)
    return problem ? [{pointer: `${kp}/${key}`, message: `${key} = "${regex}" is not a valid Go regular expression: ${problem}, so every job that uses the overwrite fails.`}] : []
  }),
)

// ---- Scheduling and timeouts -----------------------------------------------------------------------------

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

export const pollIntervalAboveTimeout = perRunner(({k, kp}) => {
  const interval = num(k.poll_interval)
  const timeout = num(k.poll_timeout) ?? 180
  if (interval === undefined || interval <= 0 || interval <= timeout) return []
  return [{pointer: `${kp}/poll_interval`, message: `poll_interval = ${interval} is longer than poll_timeout = ${timeout}: the runner checks the pod once and gives up.`}]
})

export const pollTimeoutTooLow = perRunner(({k, kp}) => {
  const timeout = num(k.poll_timeout)
  if (timeout === undefined || timeout <= 0 || timeout >= 180) return []
  return [{pointer: `${kp}/poll_timeout`, message: `poll_timeout = ${timeout} is below the default 180 seconds: pods that wait for an image pull or a new node fail with "timed out waiting for pod to start".`}]
})

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']

export const tolerationEffectInvalid = perRunner(({k, kp}) => {
  const tolerations = isPlainObject(k.node_tolerations) ? k.node_tolerations : {}
  return Object.entries(tolerations).flatMap(([key, effect]) => {
    if (typeof effect !== 'string' || EFFECTS.includes(effect)) return []
    const meant = EFFECTS.find((e) => e && e.toLowerCase() === effect.toLowerCase())
    return [{pointer: `${kp}/node_tolerations${encodePointer([key])}`, message: `Toleration "${key}" has effect "${effect}", which Kubernetes rejects.${meant ? ` Write "${meant}".` : ' Use NoSchedule, PreferNoSchedule, NoExecute or "".'}`}]
  })
})

function featureFlagOn(r: RunnerView, name: string): boolean {
  const flags = isPlainObject(r.settings.feature_flags) ? r.settings.feature_flags : {}
  if (flags[name] === true) return true
  const env = environmentMap(r.environment).get(name)
  return env !== undefined && /^(1|t|true)$/i.test(env.value.trim())
}

export const podSpecWithoutFeatureFlag = perRunner((r) => {
  const specs = Array.isArray(r.k.pod_spec) ? r.k.pod_spec : []
  if (specs.length === 0 || featureFlagOn(r, 'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION')) return []
  return [{pointer: `${r.kp}/pod_spec`, message: '[[runners.kubernetes.pod_spec]] patches are ignored unless the feature flag FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is on.'}]
})

export const podSpecPatchInvalid = perRunner(({k, kp}) => {
  const specs = Array.isArray(k.pod_spec) ? k.pod_spec : []
  return specs.flatMap((spec, i) => {
    if (!isPlainObject(spec)) return []
    const out: FunctionResult[] = []
    if (spec.patch !== undefined && spec.patch_path !== undefined) out.push({pointer: `${kp}/pod_spec/${i}/patch_path`, message: 'A pod_spec sets both patch and patch_path: the runner fails every job with "ambiguous patch".'})
    if (typeof spec.patch_type === 'string' && !['merge', 'json', 'strategic'].includes(spec.patch_type)) out.push({pointer: `${kp}/pod_spec/${i}/patch_type`, message: `patch_type = "${spec.patch_type}" is not merge, json or strategic.`})
    return out
  })
})

// ---- Resources -------------------------------------------------------------------------------------------

export const overwriteMaxBelowBase = perRunner(({k, kp}) =>
  Object.keys(k)
    .filter((key) => key.endsWith('_overwrite_max_allowed'))
    .flatMap((key) => {
      const baseKey = key.slice(0, -'_overwrite_max_allowed'.length)
      const max = parseQuantity(k[key])
      const base = parseQuantity(k[baseKey])
      if (max === undefined || base === undefined || typeof k[key] !== 'string' || typeof k[baseKey] !== 'string' || max >= base) return []
      return [{pointer: `${kp}/${key}`, message: `${key} = "${String(k[key])}" is below ${baseKey} = "${String(k[baseKey])}": a job that asks for the configured default through KUBERNETES_${baseKey.toUpperCase()} is rejected.`}]
    }),
)

export const emptyDirSizeInvalid = perRunner(({k, kp}) => {
  const volumes = isPlainObject(k.volumes) ? k.volumes : {}
  const list = Array.isArray(volumes.empty_dir) ? volumes.empty_dir : []
  return list.flatMap((v, i) => {
    if (!isPlainObject(v) || !literal(v.size_limit) || v.size_limit === '' || parseQuantity(v.size_limit) !== undefined) return []
    return [{pointer: `${kp}/volumes/empty_dir/${i}/size_limit`, message: `size_limit = "${v.size_limit}" is not a Kubernetes quantity (for example "1Gi"): the job pod cannot be built.`}]
  })
})

// ---- Concurrency -----------------------------------------------------------------------------------------

function buildsDir(r: RunnerView): string {
  return typeof r.settings.builds_dir === 'string' && r.settings.builds_dir ? r.settings.builds_dir.replace(/\/+$/, '') : '/builds'
}

export const pvcBuildsDirShared = perRunner((r, target) => {
  const concurrent = concurrentOf(target) ?? 1
  const limit = typeof r.settings.limit === 'number' && r.settings.limit > 0 ? r.settings.limit : concurrent
  if (Math.min(concurrent, limit) <= 1) return []
  const volumes = isPlainObject(r.k.volumes) ? r.k.volumes : {}
  const list = Array.isArray(volumes.pvc) ? volumes.pvc : []
  const dir = buildsDir(r)
  return list.flatMap((v, i) => {
    if (!isPlainObject(v) || typeof v.name !== 'string' || v.name.includes('CI_CONCURRENT_ID') || stringOrEmpty(v.mount_path).replace(/\/+$/, '') !== dir) return []
    return [{pointer: `${r.kp}/volumes/pvc/${i}/name`, message: `PVC ${v.name} is the builds directory (${dir}) of up to ${Math.min(concurrent, limit)} concurrent jobs: they clone into the same directory, and a ReadWriteOnce claim leaves jobs stuck in ContainerCreating.`}]
  })
})
