import type {
  V1Container,
  V1EnvVar,
  V1HostAlias,
  V1Pod,
  V1PodDNSConfig,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node'
import {AGENT_BUNDLE_MAX_BYTES} from '../agent/bundle-path.js'
import type {AgentOptions} from '../agent/options.js'
import type {RunnerConfigView} from '../../inputs/runner-configs.js'
import {dindServesTls} from '../../model/executor/dind.js'
import {kubernetesDnsPolicy} from '../../model/executor/dns-policy.js'
import {firstKubernetesPullPolicy} from '../../model/executor/pull-policy.js'
import {DEFAULT_DIND_IMAGE} from '../../model/executor/runner-dind.js'
import {runnerDindService, serviceAliases} from '../../model/executor/services.js'
import {environmentValues} from '../../model/runners.js'

export type {AgentOptions}

/** One `[[runners]]` entry as far as the probe cares: TOML snake_case keys, as parsed. */
export type RunnerSettings = RunnerConfigView

export const PROBE_LABELS = {
  'app.kubernetes.io/name': 'runner-doctor',
  'app.kubernetes.io/component': 'probe',
  'app.kubernetes.io/managed-by': 'runner-doctor',
  'runner-doctor/probe': 'true',
} as const
export const RUN_ID_LABEL = 'runner-doctor/run-id'
export const EXPIRES_AT_ANNOTATION = 'runner-doctor/expires-at'
/** Selects every pod any probe run created. */
export const PROBE_SELECTOR = 'app.kubernetes.io/managed-by=runner-doctor,runner-doctor/probe=true'

export const BUILD_CONTAINER = 'build'
export const HELPER_CONTAINER = 'helper'
export const DEFAULT_PROBE_IMAGE = 'node:24-alpine'
/** Plays the part of the script path, so the options land in `process.argv[2]` as when run from a file. */
export const AGENT_ARGV_NAME = 'runner-doctor-agent'

export interface MirrorPodOptions {
  runner: RunnerSettings
  runId: string
  name: string
  namespace: string
  agentSource: string
  agentOptions: AgentOptions
  probeImage?: string
  dindImage?: string
  /** Overrides what the runner environment says about dind TLS. */
  dindTls?: boolean
  deadlineSeconds: number
  now: Date
  /** Pins the pod to one node through its `kubernetes.io/hostname` label (used by `--all-nodes`). */
  hostname?: string
}

/** The command that runs the check program from a stock Node image without a file or ConfigMap. */
export function agentCommand(agentSource: string, agentOptions: AgentOptions): string[] {
  const size = Buffer.byteLength(agentSource)
  if (size > AGENT_BUNDLE_MAX_BYTES) {
    throw new Error(
      `The check program is ${size} bytes, more than the ${AGENT_BUNDLE_MAX_BYTES} bytes one command-line argument can carry.`,
    )
  }
  return ['node', '-e', agentSource, AGENT_ARGV_NAME, JSON.stringify(agentOptions)]
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []
}

export function dnsConfigFor(value: unknown): V1PodDNSConfig | undefined {
  const config = record(value)
  const nameservers = strings(config.nameservers)
  const searches = strings(config.searches)
  const options = (Array.isArray(config.options) ? config.options : [])
    .map(record)
    .filter((o) => typeof o.name === 'string')
    .map((o) => (o.value === undefined ? {name: o.name as string} : {name: o.name as string, value: String(o.value)}))
  if (nameservers.length === 0 && searches.length === 0 && options.length === 0) return undefined
  return {
    ...(nameservers.length ? {nameservers} : {}),
    ...(searches.length ? {searches} : {}),
    ...(options.length ? {options} : {}),
  }
}

/** `"key=value" = "Effect"` → Equal, `"key" = "Effect"` → Exists, as the runner does. */
export function tolerationsFor(value: unknown): V1Toleration[] {
  return Object.entries(record(value)).map(([keyValue, effect]) => {
    const at = keyValue.indexOf('=')
    const toleration: V1Toleration =
      at >= 0
        ? {key: keyValue.slice(0, at), operator: 'Equal', value: keyValue.slice(at + 1)}
        : {key: keyValue, operator: 'Exists'}
    if (typeof effect === 'string' && effect !== '') toleration.effect = effect
    return toleration
  })
}

function resourcesFor(k8s: Record<string, unknown>, prefix: '' | 'helper_' | 'service_'): V1ResourceRequirements | undefined {
  const requests: Record<string, string> = {}
  const limits: Record<string, string> = {}
  for (const [resource, key] of [
    ['cpu', 'cpu'],
    ['memory', 'memory'],
    ['ephemeral-storage', 'ephemeral_storage'],
  ] as const) {
    const request = str(k8s[`${prefix}${key}_request`])
    const limit = str(k8s[`${prefix}${key}_limit`])
    if (request) requests[resource] = request
    if (limit) limits[resource] = limit
  }
  if (!Object.keys(requests).length && !Object.keys(limits).length) return undefined
  return {...(Object.keys(requests).length ? {requests} : {}), ...(Object.keys(limits).length ? {limits} : {})}
}

/** Job containers drop NET_RAW unless the config says otherwise, which is why ping never works in jobs. */
const DEFAULT_CAP_DROP = ['NET_RAW']

function securityContextFor(value: unknown, privileged: boolean | undefined): V1SecurityContext {
  const config = record(value)
  const capabilities = record(config.capabilities)
  const add = strings(capabilities.add)
  const drop = [...new Set([...DEFAULT_CAP_DROP, ...strings(capabilities.drop)])].filter((cap) => !add.includes(cap))
  const context: V1SecurityContext = {capabilities: {...(add.length ? {add} : {}), drop}}
  const effectivePrivileged = typeof config.privileged === 'boolean' ? config.privileged : privileged
  if (effectivePrivileged !== undefined) context.privileged = effectivePrivileged
  if (typeof config.allow_privilege_escalation === 'boolean') context.allowPrivilegeEscalation = config.allow_privilege_escalation
  if (typeof config.run_as_user === 'number') context.runAsUser = config.run_as_user
  if (typeof config.run_as_group === 'number') context.runAsGroup = config.run_as_group
  if (typeof config.run_as_non_root === 'boolean') context.runAsNonRoot = config.run_as_non_root
  if (typeof config.read_only_root_filesystem === 'boolean') context.readOnlyRootFilesystem = config.read_only_root_filesystem
  return context
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** Values with CI variables are expanded per job by the runner; a probe has no job, so they are left out. */
function staticEntries(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(value)).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !entry[1].includes('$'),
    ),
  )
}

interface DindService {
  image: string
  alias?: string
  command: string[]
  entrypoint: string[]
}

/** The dind service from `[[runners.kubernetes.services]]` when the runner declares one. */
function dindServiceFrom(k8s: Record<string, unknown>, override?: string): DindService {
  const declared = runnerDindService(k8s)
  return {
    image: override ?? (declared?.image || DEFAULT_DIND_IMAGE),
    alias: declared?.alias,
    command: declared?.command ?? [],
    entrypoint: declared?.entrypoint ?? [],
  }
}

function emptyDirVolumes(k8s: Record<string, unknown>): {volumes: V1Volume[]; mounts: V1VolumeMount[]} {
  const volumes: V1Volume[] = []
  const mounts: V1VolumeMount[] = []
  // Only emptyDir volumes are mirrored: the others need objects (PVCs, secrets) the probe must not touch.
  for (const entry of (Array.isArray(record(k8s.volumes).empty_dir) ? (record(k8s.volumes).empty_dir as unknown[]) : []).map(record)) {
    const name = str(entry.name)
    const mountPath = str(entry.mount_path)
    if (!name || !mountPath || !DNS_LABEL.test(name)) continue
    volumes.push({
      name,
      emptyDir: {...(str(entry.medium) ? {medium: str(entry.medium)} : {}), ...(str(entry.size_limit) ? {sizeLimit: str(entry.size_limit)} : {})},
    })
    mounts.push({name, mountPath, ...(str(entry.sub_path) ? {subPath: str(entry.sub_path)} : {})})
  }
  return {volumes, mounts}
}

function envList(map: Map<string, string>): V1EnvVar[] {
  return [...map].map(([name, value]) => ({name, value}))
}

/** Builds the pod the kubernetes executor would create for a job with a `docker:dind` service. */
export function buildMirrorPod(options: MirrorPodOptions): V1Pod {
  const k8s = options.runner.kubernetes ?? {}
  const environment = environmentValues(options.runner.environment ?? [])
  // Only Docker settings reach the pod: the rest of the runner environment may hold secrets.
  const dockerEnvironment = new Map([...environment].filter(([key]) => key.startsWith('DOCKER_')))
  const privileged = typeof k8s.privileged === 'boolean' ? k8s.privileged : undefined
  const service = dindServiceFrom(k8s, options.dindImage)
  const tls = options.dindTls ?? dindServesTls(service.image, environment.get('DOCKER_TLS_CERTDIR'))
  const aliases = serviceAliases(service.image, service.alias)
  const serviceName = aliases.find((a) => DNS_LABEL.test(a) && a !== BUILD_CONTAINER && a !== HELPER_CONTAINER) ?? 'svc-0'
  const {volumes, mounts} = emptyDirVolumes(k8s)
  const probeImage = options.probeImage ?? DEFAULT_PROBE_IMAGE
  const pullPolicy = firstKubernetesPullPolicy(k8s.pull_policy, k8s.allowed_pull_policies)
  const expiresAt = new Date(options.now.getTime() + (options.deadlineSeconds + 60) * 1000)

  const nodeNameEnv: V1EnvVar = {name: 'RUNNER_DOCTOR_NODE_NAME', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}
  const build: V1Container = {
    name: BUILD_CONTAINER,
    image: probeImage,
    command: agentCommand(options.agentSource, options.agentOptions),
    env: [...envList(dockerEnvironment), nodeNameEnv],
    securityContext: securityContextFor(k8s.build_container_security_context, privileged),
    ...(resourcesFor(k8s, '') ? {resources: resourcesFor(k8s, '')} : {}),
    ...(mounts.length ? {volumeMounts: mounts} : {}),
    ...(pullPolicy ? {imagePullPolicy: pullPolicy} : {}),
  }
  // Stands in for the helper so the pod asks the scheduler for what a job pod asks.
  const helper: V1Container = {
    name: HELPER_CONTAINER,
    image: probeImage,
    command: ['node', '-e', `setTimeout(() => {}, ${options.deadlineSeconds * 1000})`],
    securityContext: securityContextFor(k8s.helper_container_security_context, privileged),
    ...(resourcesFor(k8s, 'helper_') ? {resources: resourcesFor(k8s, 'helper_')} : {}),
    ...(mounts.length ? {volumeMounts: mounts} : {}),
    ...(pullPolicy ? {imagePullPolicy: pullPolicy} : {}),
  }
  const dindEnv = new Map<string, string>([['DOCKER_TLS_CERTDIR', tls ? (environment.get('DOCKER_TLS_CERTDIR') ?? '/certs') : '']])
  const dind: V1Container = {
    name: serviceName,
    image: service.image,
    ...(service.entrypoint.length ? {command: service.entrypoint} : {}),
    ...(service.command.length ? {args: service.command} : {}),
    env: envList(dindEnv),
    securityContext: securityContextFor(k8s.service_container_security_context, privileged),
    ...(resourcesFor(k8s, 'service_') ? {resources: resourcesFor(k8s, 'service_')} : {}),
    ...(mounts.length ? {volumeMounts: mounts} : {}),
    ...(pullPolicy ? {imagePullPolicy: pullPolicy} : {}),
  }

  const hostAliases: V1HostAlias[] = [{ip: '127.0.0.1', hostnames: aliases}]
  for (const entry of (Array.isArray(k8s.host_aliases) ? k8s.host_aliases : []).map(record)) {
    const hostnames = strings(entry.hostnames)
    if (str(entry.ip) && hostnames.length) hostAliases.push({ip: str(entry.ip)!, hostnames})
  }

  const nodeSelector = {...staticEntries(k8s.node_selector), ...(options.hostname ? {'kubernetes.io/hostname': options.hostname} : {})}
  const tolerations = tolerationsFor(k8s.node_tolerations)
  const dnsPolicy = kubernetesDnsPolicy(k8s.dns_policy)
  const dnsConfig = dnsConfigFor(k8s.dns_config)
  const pullSecrets = strings(k8s.image_pull_secrets).map((name) => ({name}))
  const serviceAccount = str(k8s.service_account)
  const podSecurity = record(k8s.pod_security_context)
  const grace = typeof k8s.termination_grace_period_seconds === 'number' ? k8s.termination_grace_period_seconds : undefined

  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {...staticEntries(k8s.pod_labels), ...PROBE_LABELS, [RUN_ID_LABEL]: options.runId},
      annotations: {...staticEntries(k8s.pod_annotations), [EXPIRES_AT_ANNOTATION]: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z')},
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: options.deadlineSeconds,
      automountServiceAccountToken: k8s.automount_service_account_token === true,
      containers: [build, helper, dind],
      hostAliases,
      ...(grace !== undefined ? {terminationGracePeriodSeconds: grace} : {}),
      ...(serviceAccount ? {serviceAccountName: serviceAccount} : {}),
      ...(Object.keys(nodeSelector).length ? {nodeSelector} : {}),
      ...(tolerations.length ? {tolerations} : {}),
      ...(dnsPolicy ? {dnsPolicy} : {}),
      ...(dnsConfig ? {dnsConfig} : {}),
      ...(pullSecrets.length ? {imagePullSecrets: pullSecrets} : {}),
      ...(volumes.length ? {volumes} : {}),
      ...(Object.keys(podSecurity).length
        ? {
            securityContext: {
              ...(typeof podSecurity.run_as_non_root === 'boolean' ? {runAsNonRoot: podSecurity.run_as_non_root} : {}),
              ...(typeof podSecurity.run_as_user === 'number' ? {runAsUser: podSecurity.run_as_user} : {}),
              ...(typeof podSecurity.run_as_group === 'number' ? {runAsGroup: podSecurity.run_as_group} : {}),
              ...(typeof podSecurity.fs_group === 'number' ? {fsGroup: podSecurity.fs_group} : {}),
              ...(Array.isArray(podSecurity.supplemental_groups)
                ? {supplementalGroups: podSecurity.supplemental_groups.filter((g): g is number => typeof g === 'number')}
                : {}),
            },
          }
        : {}),
    },
  }
}

/** The dind container's name in a pod built by `buildMirrorPod`. */
export function dindContainerName(pod: V1Pod): string | undefined {
  return pod.spec?.containers.find((c) => c.name !== BUILD_CONTAINER && c.name !== HELPER_CONTAINER)?.name
}
