import type {
  V1Affinity,
  V1Capabilities,
  V1LabelSelector,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1PodAffinityTerm,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Volume,
  V1VolumeMount,
  V1WeightedPodAffinityTerm,
} from '@kubernetes/client-node'

import {isPlainObject} from '../chart.js'
import {stringList, stringOrEmpty} from '../literals.js'
import type {ContainerKind} from './containers.js'
import {volumesOf} from './volumes.js'

/*
 * How the kubernetes executor turns `[runners.kubernetes]` into the job pod's fields, rule for rule, from
 * gitlab-runner executors/kubernetes/kubernetes.go (preparePodConfig, createBuildAndHelperContainers,
 * buildPermissionsInitContainer, getVolumes*, getVolumeMountsForConfig, buildLabels, prepareImagePullSecrets) and
 * common/config.go (GetContainerSecurityContext, GetPodSecurityContext, GetAffinity and friends), at d79f3e7b.
 * The results are Kubernetes API objects (camelCase), ready for a pod spec.
 */

type Table = Record<string, unknown>

const table = (value: unknown): Table => (isPlainObject(value) ? value : {})
const tables = (value: unknown): Table[] => (Array.isArray(value) ? value.filter(isPlainObject) : [])
const optionalBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined)
const optionalInteger = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined)
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T

/** Job containers drop NET_RAW unless cap_add gives it back (defaultCapDrop; gitlab-runner#26833). */
export const DEFAULT_CAP_DROP = ['NET_RAW']

/**
 * The runner-wide cap_add / cap_drop over the default drop (KubernetesConfig.getCapabilities): a capability ends
 * where its last mention puts it, cap_drop winning over cap_add.
 */
function runnerCapabilities(kubernetes: Table): V1Capabilities | undefined {
  const enabled = new Map<string, boolean>()
  for (const cap of DEFAULT_CAP_DROP) enabled.set(cap, false)
  for (const cap of stringList(kubernetes.cap_add)) enabled.set(cap, true)
  for (const cap of stringList(kubernetes.cap_drop)) enabled.set(cap, false)
  if (enabled.size === 0) return undefined
  const add = [...enabled].filter(([, on]) => on).map(([cap]) => cap)
  const drop = [...enabled].filter(([, on]) => !on).map(([cap]) => cap)
  return compact({add, drop})
}

/** A container table's own capabilities replace the runner-wide add or drop list, each on its own (mergeCapabilitiesAddDrop). */
function mergedCapabilities(kubernetes: Table, context: Table): V1Capabilities | undefined {
  const merged: V1Capabilities = {...runnerCapabilities(kubernetes)}
  const own = isPlainObject(context.capabilities) ? context.capabilities : undefined
  if (own && Array.isArray(own.add)) merged.add = stringList(own.add)
  if (own && Array.isArray(own.drop)) merged.drop = stringList(own.drop)
  return merged.add === undefined && merged.drop === undefined ? undefined : merged
}

const PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost']

/** A seccomp or AppArmor profile table; an unknown type, or Localhost without a profile, is dropped as the runner drops it. */
function profile(value: unknown): {type: string; localhostProfile?: string} | undefined {
  const p = table(value)
  const type = stringOrEmpty(p.type)
  if (!PROFILE_TYPES.includes(type)) return undefined
  if (type !== 'Localhost') return {type}
  const localhostProfile = stringOrEmpty(p.localhost_profile)
  return localhostProfile ? {type, localhostProfile} : undefined
}

function procMount(value: unknown): string | undefined {
  const text = stringOrEmpty(value).trim()
  const titled = text.charAt(0).toUpperCase() + text.slice(1).toLowerCase()
  return titled === 'Default' || titled === 'Unmasked' ? titled : undefined
}

/** The security context of one job container kind (GetContainerSecurityContext with the default NET_RAW drop). */
export function containerSecurityContext(kubernetes: Table, kind: ContainerKind): V1SecurityContext {
  const context = table(kubernetes[`${kind}_container_security_context`])
  const selinuxType = stringOrEmpty(context.selinux_type)
  return compact({
    capabilities: mergedCapabilities(kubernetes, context),
    privileged: optionalBoolean(context.privileged) ?? optionalBoolean(kubernetes.privileged),
    allowPrivilegeEscalation: optionalBoolean(context.allow_privilege_escalation) ?? optionalBoolean(kubernetes.allow_privilege_escalation),
    runAsGroup: optionalInteger(context.run_as_group),
    runAsNonRoot: optionalBoolean(context.run_as_non_root),
    runAsUser: optionalInteger(context.run_as_user),
    readOnlyRootFilesystem: optionalBoolean(context.read_only_root_filesystem),
    procMount: procMount(context.proc_mount),
    seLinuxOptions: selinuxType ? {type: selinuxType} : undefined,
    seccompProfile: profile(context.seccomp_profile),
    appArmorProfile: profile(context.app_armor_profile),
  })
}

/** `[runners.kubernetes.pod_security_context]` (GetPodSecurityContext); undefined when nothing is set. */
export function podSecurityContext(kubernetes: Table): V1PodSecurityContext | undefined {
  const context = table(kubernetes.pod_security_context)
  const selinuxType = stringOrEmpty(context.selinux_type)
  const result: V1PodSecurityContext = compact({
    fsGroup: optionalInteger(context.fs_group),
    runAsGroup: optionalInteger(context.run_as_group),
    runAsNonRoot: optionalBoolean(context.run_as_non_root),
    runAsUser: optionalInteger(context.run_as_user),
    supplementalGroups: Array.isArray(context.supplemental_groups)
      ? context.supplemental_groups.filter((g): g is number => Number.isInteger(g))
      : undefined,
    seLinuxOptions: selinuxType ? {type: selinuxType} : undefined,
    seccompProfile: profile(context.seccomp_profile),
    appArmorProfile: profile(context.app_armor_profile),
  })
  return Object.keys(result).length ? result : undefined
}

function requirement(value: Table): V1NodeSelectorRequirement {
  return compact({key: stringOrEmpty(value.key), operator: stringOrEmpty(value.operator), values: stringList(value.values)})
}

function nodeSelectorTerm(value: unknown): V1NodeSelectorTerm {
  const term = table(value)
  return compact({
    matchExpressions: tables(term.match_expressions).map(requirement),
    matchFields: tables(term.match_fields).map(requirement),
  })
}

function labelSelector(value: unknown): V1LabelSelector | undefined {
  if (!isPlainObject(value)) return undefined
  const labels = table(value.match_labels)
  return compact({
    matchLabels: Object.keys(labels).length
      ? (Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) as Record<string, string>)
      : undefined,
    matchExpressions: tables(value.match_expressions).map(requirement),
  })
}

function podAffinityTerm(value: unknown): V1PodAffinityTerm {
  const term = table(value)
  return compact({
    labelSelector: labelSelector(term.label_selector),
    namespaces: stringList(term.namespaces),
    topologyKey: stringOrEmpty(term.topology_key),
    namespaceSelector: labelSelector(term.namespace_selector),
    matchLabelKeys: stringList(term.match_label_keys),
    mismatchLabelKeys: stringList(term.mismatch_label_keys),
  })
}

function weightedPodAffinityTerm(value: Table): V1WeightedPodAffinityTerm {
  return {weight: optionalInteger(value.weight) ?? 0, podAffinityTerm: podAffinityTerm(value.pod_affinity_term)}
}

function podAffinityOf(value: Table) {
  return compact({
    requiredDuringSchedulingIgnoredDuringExecution: tables(value.required_during_scheduling_ignored_during_execution).map(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: tables(value.preferred_during_scheduling_ignored_during_execution).map(
      weightedPodAffinityTerm,
    ),
  })
}

/** `[runners.kubernetes.affinity]` (GetAffinity): node affinity, pod affinity and pod anti-affinity; undefined when unset. */
export function affinity(kubernetes: Table): V1Affinity | undefined {
  const config = table(kubernetes.affinity)
  const result: V1Affinity = {}
  if (isPlainObject(config.node_affinity)) {
    const node = config.node_affinity
    const required = isPlainObject(node.required_during_scheduling_ignored_during_execution)
      ? node.required_during_scheduling_ignored_during_execution
      : undefined
    result.nodeAffinity = compact({
      requiredDuringSchedulingIgnoredDuringExecution: required
        ? {nodeSelectorTerms: tables(required.node_selector_terms).map(nodeSelectorTerm)}
        : undefined,
      preferredDuringSchedulingIgnoredDuringExecution: tables(node.preferred_during_scheduling_ignored_during_execution).map((p) => ({
        weight: optionalInteger(p.weight) ?? 0,
        preference: nodeSelectorTerm(p.preference),
      })),
    })
  }
  if (isPlainObject(config.pod_affinity)) result.podAffinity = podAffinityOf(config.pod_affinity)
  if (isPlainObject(config.pod_anti_affinity)) result.podAntiAffinity = podAffinityOf(config.pod_anti_affinity)
  return Object.keys(result).length ? result : undefined
}

const RESOURCES = [
  ['cpu', 'cpu'],
  ['memory', 'memory'],
  ['ephemeral-storage', 'ephemeral_storage'],
] as const

/**
 * Requests and limits from `<prefix>cpu_request`, `<prefix>memory_limit` ...: prefix '' for the build container,
 * `helper_` (also the init-permissions container), `service_`, and `pod_` for pod-level resources (cpu and memory only).
 */
export function resourceRequirements(kubernetes: Table, prefix: '' | 'helper_' | 'service_' | 'pod_'): V1ResourceRequirements | undefined {
  const requests: Record<string, string> = {}
  const limits: Record<string, string> = {}
  for (const [resource, key] of RESOURCES) {
    if (prefix === 'pod_' && resource === 'ephemeral-storage') continue
    const request = stringOrEmpty(kubernetes[`${prefix}${key}_request`])
    const limit = stringOrEmpty(kubernetes[`${prefix}${key}_limit`])
    if (request) requests[resource] = request
    if (limit) limits[resource] = limit
  }
  const result = compact({
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  })
  return Object.keys(result).length ? result : undefined
}

/** The kinds of `[[runners.kubernetes.volumes.<kind>]]` the executor mounts, in its order (getVolumesForConfig). */
export const VOLUME_KINDS = ['host_path', 'secret', 'pvc', 'config_map', 'empty_dir', 'csi', 'nfs'] as const
export type VolumeKind = (typeof VOLUME_KINDS)[number]

function keyToPaths(value: unknown): Array<{key: string; path: string}> | undefined {
  const items = Object.entries(table(value)).filter((e): e is [string, string] => typeof e[1] === 'string')
  return items.length ? items.map(([key, path]) => ({key, path})) : undefined
}

function volumeSource(kind: VolumeKind, volume: Table, name: string): Omit<V1Volume, 'name'> {
  switch (kind) {
    case 'host_path':
      // Before 9.3 host_path was optional and the mount path named the node directory too.
      return {hostPath: {path: stringOrEmpty(volume.host_path) || stringOrEmpty(volume.mount_path)}}
    case 'secret':
      return {secret: compact({secretName: name, items: keyToPaths(volume.items)})}
    case 'pvc':
      return {persistentVolumeClaim: {claimName: name}}
    case 'config_map':
      return {configMap: compact({name, items: keyToPaths(volume.items)})}
    case 'empty_dir':
      return {
        emptyDir: compact({
          medium: stringOrEmpty(volume.medium) || undefined,
          sizeLimit: stringOrEmpty(volume.size_limit).trim() || undefined,
        }),
      }
    case 'csi':
      return {
        csi: compact({
          driver: stringOrEmpty(volume.driver),
          fsType: stringOrEmpty(volume.fs_type),
          readOnly: volume.read_only === true,
          volumeAttributes: Object.keys(table(volume.volume_attributes)).length
            ? (table(volume.volume_attributes) as Record<string, string>)
            : undefined,
        }),
      }
    case 'nfs':
      return {nfs: {path: stringOrEmpty(volume.path), server: stringOrEmpty(volume.server), readOnly: volume.read_only === true}}
  }
}

/** Kinds whose mounts the runner never makes read-only or propagating (getVolumeMountsForConfig). */
const NO_READ_ONLY: ReadonlySet<VolumeKind> = new Set(['empty_dir'])
const WITH_PROPAGATION: ReadonlySet<VolumeKind> = new Set(['host_path', 'pvc', 'empty_dir'])

export interface ConfigVolumes {
  volumes: V1Volume[]
  /** Mounted in the build, helper, service and init-permissions containers alike (getVolumeMounts). */
  mounts: V1VolumeMount[]
  /** Entries left out, with the reason: a CI variable in a name or path only a job can fill in. */
  skipped: string[]
}

/**
 * The volumes of `[runners.kubernetes.volumes]` and their mounts, as the executor adds them to every container. A
 * PVC named twice is one volume mounted twice. Values holding `$` are expanded from job variables by the runner; the
 * probe has none, so such entries are skipped and reported.
 */
export function configVolumes(kubernetes: Table): ConfigVolumes {
  const volumes: V1Volume[] = []
  const mounts: V1VolumeMount[] = []
  const skipped: string[] = []
  const named = new Set<string>()
  for (const kind of VOLUME_KINDS) {
    for (const {volume, index} of volumesOf(kubernetes, kind)) {
      const name = stringOrEmpty(volume.name)
      const mountPath = stringOrEmpty(volume.mount_path)
      const subPath = stringOrEmpty(volume.sub_path)
      if ([name, mountPath, subPath].some((v) => v.includes('$'))) {
        skipped.push(`volumes.${kind}[${index}] (${name || 'unnamed'}): its name or path uses a CI variable only a job fills in`)
        continue
      }
      if (!(kind === 'pvc' && named.has(`pvc/${name}`))) volumes.push({name, ...volumeSource(kind, volume, name)})
      named.add(`${kind}/${name}`)
      const propagation = stringOrEmpty(volume.mount_propagation)
      mounts.push(
        compact({
          name,
          mountPath,
          subPath: subPath || undefined,
          readOnly: NO_READ_ONLY.has(kind) ? undefined : volume.read_only === true ? true : undefined,
          mountPropagation: WITH_PROPAGATION.has(kind) && propagation ? propagation : undefined,
        }),
      )
    }
  }
  return {volumes, mounts, skipped}
}

/** The runner's own label namespace: pod_labels in it are ignored (buildLabels' safeLabelSetter). */
const RUNNER_LABEL_NAMESPACE = /^(?:[a-z0-9-]+\.)*runner\.gitlab\.com\//

/** `pod_labels` as the executor sets them: without keys in runner.gitlab.com, which it refuses to overwrite. */
export function runnerPodLabels(kubernetes: Table): {labels: Record<string, string>; dropped: string[]} {
  const labels: Record<string, string> = {}
  const dropped: string[] = []
  for (const [key, value] of Object.entries(table(kubernetes.pod_labels))) {
    if (typeof value !== 'string') continue
    if (RUNNER_LABEL_NAMESPACE.test(key)) dropped.push(key)
    else labels[key] = value
  }
  return {labels, dropped}
}

/**
 * The image pull secrets the pod names: none with use_service_account_image_pull_secrets (the ServiceAccount's own
 * then apply), else image_pull_secrets (prepareImagePullSecrets; the per-job registry credentials secret aside).
 */
export function imagePullSecrets(kubernetes: Table): Array<{name: string}> {
  if (kubernetes.use_service_account_image_pull_secrets === true) return []
  return stringList(kubernetes.image_pull_secrets)
    .filter((name) => name !== '')
    .map((name) => ({name}))
}

/** The registry the runner pulls its helper image from by default (helpers/container/helperimage/info.go). */
export const HELPER_IMAGE_REPOSITORY = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper'

/**
 * The helper image of a job pod: `helper_image` when set, else the runner's default for its version and
 * `helper_image_flavor` on x86_64 Linux (linux_info.go: alpine carries no flavor prefix, `ubuntu-x86_64-v17.5.0`).
 */
export function helperImage(kubernetes: Table, runnerVersion: string): string {
  const configured = stringOrEmpty(kubernetes.helper_image).trim()
  if (configured) return configured
  const flavor = stringOrEmpty(kubernetes.helper_image_flavor).trim()
  const prefix = flavor && flavor !== 'alpine' ? `${flavor}-` : ''
  const version = /^\d+\.\d+\.\d+/.exec(runnerVersion)?.[0] ?? runnerVersion
  return `${HELPER_IMAGE_REPOSITORY}:${prefix}x86_64-v${version}`
}

/** Where the executor mounts the job's shared directories, for project and job ids (baseDir). */
export function sharedDirectories(
  kubernetes: Table,
  settings: Table,
  ids = {project: 0, job: 0},
): {builds: string; scripts: string; logs: string} {
  const base = (configured: unknown, fallback: string) => {
    const dir = stringOrEmpty(configured).replace(/[/\\]+$/, '')
    return `${dir ? `${dir}${fallback}` : fallback}-${ids.project}-${ids.job}`
  }
  return {
    builds: stringOrEmpty(settings.builds_dir) || '/builds',
    scripts: base(kubernetes.scripts_base_dir, '/scripts'),
    logs: base(kubernetes.logs_base_dir, '/logs'),
  }
}
