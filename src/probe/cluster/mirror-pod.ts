import {readFileSync} from 'node:fs'
import type {
  V1Container,
  V1EnvVar,
  V1HostAlias,
  V1Pod,
  V1PodDNSConfig,
  V1PodSpec,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node'
import {AGENT_BUNDLE_MAX_BYTES} from '../agent/bundle-path.js'
import type {AgentOptions} from '../agent/options.js'
import type {RunnerConfigView} from '../../inputs/runner-configs.js'
import {NEWEST_CHART_VERSION, runnerVersionForChart} from '../../model/chart.js'
import {dindServesTls, isDindImage} from '../../model/executor/dind.js'
import {kubernetesDnsPolicy} from '../../model/executor/dns-policy.js'
import {
  affinity,
  configVolumes,
  containerSecurityContext,
  helperImage,
  imagePullSecrets,
  podSecurityContext,
  resourceRequirements,
  runnerPodLabels,
  sharedDirectories,
} from '../../model/executor/job-pod.js'
import {applyPodSpecPatches, podSpecPatches} from '../../model/executor/pod-spec-patch.js'
import {firstKubernetesPullPolicy} from '../../model/executor/pull-policy.js'
import {runnerServices, serviceAliases} from '../../model/executor/services.js'
import {featureFlagOn} from '../../model/feature-flags.js'
import {imageReference} from '../../model/images.js'
import {environmentValues} from '../../model/runners.js'

export type {AgentOptions}

/**
 * One `[[runners]]` entry as far as the probe cares: TOML snake_case keys, as parsed. `settings` is the whole
 * `[[runners]]` table when the reader provides it (builds_dir, `[runners.feature_flags]`).
 */
export type RunnerSettings = RunnerConfigView

/** The runner release whose helper image the mirror pod pulls when the config does not name one. */
export const DEFAULT_RUNNER_VERSION = runnerVersionForChart(NEWEST_CHART_VERSION) ?? '18.0.0'

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
export const INIT_PERMISSIONS_CONTAINER = 'init-permissions'
export const DEFAULT_PROBE_IMAGE = 'node:24-alpine'
/** Plays the part of the script path, so the options land in `process.argv[2]` as when run from a file. */
export const AGENT_ARGV_NAME = 'runner-doctor-agent'

/** What a job adds to the pod, from the command line (`--no-dind`, `--var`, `--ci-file` with `--job`). */
export type JobSettings = Pick<MirrorPodOptions, 'dind' | 'jobVariables' | 'jobServices' | 'jobImage'>

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
  /** false leaves the dind service out (`--no-dind`). */
  dind?: boolean
  /** Job variables (`--var`, `--ci-file`): the build and service containers get them, over the runner environment. */
  jobVariables?: Record<string, string>
  /** The job's own services (`--ci-file`), after the runner's. */
  jobServices?: MirrorService[]
  /** The job's image, when known (`--ci-file`): a kaniko or buildah image gets builder checks. */
  jobImage?: string
  /** Runner release for the default helper image. */
  runnerVersion?: string
  /** Reads a pod_spec `patch_path`; default: the file system, relative to the working directory as the runner does. */
  readPatchFile?: (path: string) => string
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
      at >= 0 ? {key: keyValue.slice(0, at), operator: 'Equal', value: keyValue.slice(at + 1)} : {key: keyValue, operator: 'Exists'}
    if (typeof effect === 'string' && effect !== '') toleration.effect = effect
    return toleration
  })
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** Values with CI variables are expanded per job by the runner; a probe has no job, so they are left out. */
function staticEntries(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !entry[1].includes('$')),
  )
}

function envList(map: Map<string, string>): V1EnvVar[] {
  return [...map].map(([name, value]) => ({name, value}))
}

/** The namespace the runner creates job pods in, when its config names one (`namespace`). */
export function runnerNamespace(runner: RunnerSettings | undefined): string | undefined {
  return str(runner?.kubernetes?.namespace)
}

/** A service container of the job pod: the runner's `[[runners.kubernetes.services]]` or a job's `services:`. */
export interface MirrorService {
  image: string
  alias?: string
  command: string[]
  entrypoint: string[]
  /** The service's own `variables:` (job services only). */
  variables?: Record<string, string>
}

/** Names the dind container of a mirror pod, so the wait loop can watch it among other services. */
export const DIND_CONTAINER_ANNOTATION = 'runner-doctor/dind-container'

/** The image builders the probe knows without a Docker daemon; a runner using one gets builder checks instead of Docker ones. */
export type ImageBuilder = 'kaniko' | 'buildah'

/** Kaniko's executor image (gcr.io/kaniko-project/executor, its chainguard and mirror copies) or buildah's (quay.io/buildah/stable). */
export function imageBuilder(image: string | undefined): ImageBuilder | undefined {
  if (!image) return undefined
  const {name} = imageReference(image)
  if (/(^|\/)kaniko(-project)?(\/|$)|kaniko-executor|(^|\/)kaniko$/.test(name)) return 'kaniko'
  if (/(^|\/)buildah(\/|$)|(^|\/)buildah$/.test(name)) return 'buildah'
  return undefined
}

/** Services named the same way the runner names their containers (getServiceName): first unused DNS-1123 alias, else svc-N. */
function serviceContainerNames(services: MirrorService[]): string[] {
  const used = new Set<string>([BUILD_CONTAINER, HELPER_CONTAINER])
  let index = 0
  return services.map((service) => {
    for (const alias of serviceAliases(service.image, service.alias)) {
      if (used.has(alias)) continue
      used.add(alias)
      if (DNS_LABEL.test(alias)) return alias
    }
    return `svc-${index++}`
  })
}

function staticVariables(entries: Iterable<[string, string]>): Map<string, string> {
  return new Map([...entries].filter(([, value]) => !value.includes('$')))
}

/** Runner `environment` entries that may enter the pod: Docker client settings; the rest may hold secrets. */
/** The proxy variables, in both spellings, as jobs get them from the runner's `environment`. */
const PROXY_VARIABLE = /^(https?_proxy|no_proxy|all_proxy)$/i

/** What of the runner's `environment` the checks depend on: the Docker variables, and the proxies egress goes through. */
function runnerDockerEnvironment(environment: Map<string, string>): Map<string, string> {
  return new Map([...environment].filter(([key]) => key.startsWith('DOCKER_') || PROXY_VARIABLE.test(key)))
}

const initPermissionsCommand = (logsDir: string) => [
  'sh',
  '-c',
  `touch ${logsDir}/output.log && (chmod 777 ${logsDir}/output.log || exit 0)`,
]

/**
 * Builds the pod the kubernetes executor would create for a job of this runner: its build container runs the check
 * program instead of the job script; the helper and init-permissions containers use the runner's helper image, so a
 * pull failure shows; services come from the runner config and the job (`--ci-file`), dind among them when there is
 * one. Every `[runners.kubernetes]` setting in MIRRORED_SETTINGS is applied as the executor applies it, then the
 * pod_spec patches when the runner turns them on. Throws PodSpecPatchError when a patch fails, as the job would.
 */
export function buildMirrorPod(options: MirrorPodOptions): V1Pod {
  return buildMirrorPodWithNotes(options).pod
}

export interface MirrorPodResult {
  pod: V1Pod
  /** What the pod could not carry from the config, for the progress log. */
  notes: string[]
}

export function buildMirrorPodWithNotes(options: MirrorPodOptions): MirrorPodResult {
  const runner = options.runner
  const k8s = runner.kubernetes ?? {}
  const notes: string[] = []
  const environment = environmentValues(runner.environment ?? [])
  const jobVariables = new Map(Object.entries(options.jobVariables ?? {}))
  // The runner's environment comes first and job variables override it, as in a job.
  const variables = new Map([...environment, ...jobVariables])
  const featureFlags = {
    settings: runner.settings ?? {},
    environment: [...(runner.environment ?? []), ...[...jobVariables].map(([k, v]) => `${k}=${v}`)],
  }

  // Services: the runner's own, then the job's; the dind one is overridden by --dind-image, left out by --no-dind.
  let services: MirrorService[] = [
    ...runnerServices(k8s).map(({image, alias, command, entrypoint}) => ({image, alias, command, entrypoint})),
    ...(options.jobServices ?? []),
  ]
  if (options.dind === false) services = services.filter((s) => !isDindImage(s.image))
  else if (options.dindImage) {
    const at = services.findIndex((s) => isDindImage(s.image))
    if (at >= 0) services[at] = {...services[at]!, image: options.dindImage}
    else services.push({image: options.dindImage, command: [], entrypoint: []})
  }
  const names = serviceContainerNames(services)
  const dindIndex = services.findIndex((s) => isDindImage(s.image) || s.image === options.dindImage)

  const probeImage = options.probeImage ?? DEFAULT_PROBE_IMAGE
  const helper = helperImage(k8s, options.runnerVersion ?? DEFAULT_RUNNER_VERSION)
  const pullPolicy = firstKubernetesPullPolicy(k8s.pull_policy, k8s.allowed_pull_policies)
  const expiresAt = new Date(options.now.getTime() + (options.deadlineSeconds + 60) * 1000)
  const legacy = featureFlagOn(featureFlags, 'FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY')
  const dumbInit = featureFlagOn(featureFlags, 'FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR')

  // Volumes and mounts, in the executor's order: scripts, logs, the config's, then the builds dir (getVolumeMounts).
  const dirs = sharedDirectories(k8s, runner.settings ?? {})
  const config = configVolumes(k8s)
  for (const skipped of config.skipped) notes.push(`Left out ${skipped}.`)
  const mounts: V1VolumeMount[] = []
  const volumes: V1Volume[] = [...config.volumes]
  if (dumbInit || !legacy) mounts.push({name: 'scripts', mountPath: dirs.scripts})
  if (!legacy) mounts.push({name: 'logs', mountPath: dirs.logs})
  mounts.push(...config.mounts)
  const buildsDirMounted = config.mounts.some((m) => m.mountPath === dirs.builds)
  if (!buildsDirMounted) {
    mounts.push({name: 'repo', mountPath: dirs.builds})
    volumes.push({name: 'repo', emptyDir: {}})
  }
  if (dumbInit || !legacy) volumes.push({name: 'scripts', emptyDir: {}})
  if (!legacy) volumes.push({name: 'logs', emptyDir: {}})

  const pullPolicyField = pullPolicy ? {imagePullPolicy: pullPolicy} : {}
  const resources = (prefix: '' | 'helper_' | 'service_') => {
    const value = resourceRequirements(k8s, prefix)
    return value ? {resources: value} : {}
  }
  const dockerEnvironment = runnerDockerEnvironment(environment)
  const buildEnv = new Map([...dockerEnvironment, ...staticVariables(jobVariables)])
  const dindService = dindIndex >= 0 ? services[dindIndex] : undefined
  const dindCertDir = dindService?.variables?.DOCKER_TLS_CERTDIR ?? variables.get('DOCKER_TLS_CERTDIR')
  const dindTls = dindService ? (options.dindTls ?? dindServesTls(dindService.image, dindCertDir)) : false

  const builder = imageBuilder(options.jobImage ?? str(k8s.image))
  const agentOptions: AgentOptions = {...options.agentOptions}
  // Without a daemon in the pod or a DOCKER_HOST pointing elsewhere, Docker checks would only report its absence.
  if (!dindService && !buildEnv.has('DOCKER_HOST')) agentOptions.docker = false
  if (builder) agentOptions.builder = builder
  // A daemon.json the runner mounts (for dind) is mounted in the build container too: the checks read its mtu there.
  const daemonJson = config.mounts.find((m) => m.mountPath.endsWith('/daemon.json'))
  if (daemonJson && agentOptions.docker !== false) agentOptions.daemonJson = daemonJson.mountPath

  const nodeNameEnv: V1EnvVar = {name: 'RUNNER_DOCTOR_NODE_NAME', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}
  const build: V1Container = {
    name: BUILD_CONTAINER,
    image: probeImage,
    command: agentCommand(options.agentSource, agentOptions),
    env: [...envList(buildEnv), nodeNameEnv],
    securityContext: containerSecurityContext(k8s, 'build'),
    ...resources(''),
    volumeMounts: mounts,
    ...pullPolicyField,
  }
  // The runner's helper image: its pull failure fails every job. It only has to stay up here.
  const helperContainer: V1Container = {
    name: HELPER_CONTAINER,
    image: helper,
    command: ['sh', '-c', `sleep ${options.deadlineSeconds}`],
    securityContext: containerSecurityContext(k8s, 'helper'),
    ...resources('helper_'),
    volumeMounts: mounts,
    ...pullPolicyField,
  }
  const serviceContainers: V1Container[] = services.map((service, i) => {
    const own = new Map(Object.entries(service.variables ?? {}))
    const env = new Map([...dockerEnvironment, ...staticVariables(jobVariables), ...staticVariables(own)])
    if (i === dindIndex) env.set('DOCKER_TLS_CERTDIR', dindTls ? dindCertDir || '/certs' : '')
    return {
      name: names[i]!,
      image: service.image,
      ...(service.entrypoint.length ? {command: service.entrypoint} : {}),
      ...(service.command.length ? {args: service.command} : {}),
      env: envList(env),
      securityContext: containerSecurityContext(k8s, 'service'),
      ...resources('service_'),
      volumeMounts: mounts,
      ...pullPolicyField,
    }
  })
  const initContainers: V1Container[] =
    !legacy || dumbInit
      ? [
          {
            name: INIT_PERMISSIONS_CONTAINER,
            image: helper,
            command: legacy ? ['sh', '-c', 'true'] : initPermissionsCommand(dirs.logs),
            securityContext: containerSecurityContext(k8s, 'init_permissions'),
            // The executor gives it the helper's resources (initContainerResources).
            ...resources('helper_'),
            volumeMounts: mounts,
            ...pullPolicyField,
          },
        ]
      : []

  const aliasHostnames = services.flatMap((s) => serviceAliases(s.image, s.alias))
  const hostAliases: V1HostAlias[] = aliasHostnames.length ? [{ip: '127.0.0.1', hostnames: [...new Set(aliasHostnames)]}] : []
  for (const entry of (Array.isArray(k8s.host_aliases) ? k8s.host_aliases : []).map(record)) {
    const hostnames = strings(entry.hostnames)
    if (str(entry.ip) && hostnames.length) hostAliases.push({ip: str(entry.ip)!, hostnames})
  }

  const nodeSelector = {...staticEntries(k8s.node_selector), ...(options.hostname ? {'kubernetes.io/hostname': options.hostname} : {})}
  const tolerations = tolerationsFor(k8s.node_tolerations)
  const dnsPolicy = kubernetesDnsPolicy(k8s.dns_policy)
  const dnsConfig = dnsConfigFor(k8s.dns_config)
  const pullSecrets = imagePullSecrets(k8s)
  const serviceAccount = str(k8s.service_account)
  const grace = typeof k8s.pod_termination_grace_period_seconds === 'number' ? k8s.pod_termination_grace_period_seconds : undefined
  const podLabels = runnerPodLabels(k8s)
  for (const key of podLabels.dropped)
    notes.push(`pod_labels "${key}" is in the runner's own label namespace; the runner ignores it, so does the probe.`)
  const podAffinity = affinity(k8s)
  const podResources = resourceRequirements(k8s, 'pod_')
  const podSecurity = podSecurityContext(k8s)

  let spec: V1PodSpec = {
    restartPolicy: 'Never',
    activeDeadlineSeconds: options.deadlineSeconds,
    automountServiceAccountToken: k8s.automount_service_account_token === true,
    ...(initContainers.length ? {initContainers} : {}),
    containers: [build, helperContainer, ...serviceContainers],
    ...(hostAliases.length ? {hostAliases} : {}),
    ...(grace !== undefined ? {terminationGracePeriodSeconds: grace} : {}),
    ...(serviceAccount ? {serviceAccountName: serviceAccount} : {}),
    ...(Object.keys(nodeSelector).length ? {nodeSelector} : {}),
    ...(tolerations.length ? {tolerations} : {}),
    ...(dnsPolicy ? {dnsPolicy} : {}),
    ...(dnsConfig ? {dnsConfig} : {}),
    ...(pullSecrets.length ? {imagePullSecrets: pullSecrets} : {}),
    volumes,
    ...(podSecurity ? {securityContext: podSecurity} : {}),
    ...(podAffinity ? {affinity: podAffinity} : {}),
    ...(str(k8s.runtime_class_name) ? {runtimeClassName: str(k8s.runtime_class_name)} : {}),
    ...(str(k8s.priority_class_name) ? {priorityClassName: str(k8s.priority_class_name)} : {}),
    ...(str(k8s.scheduler_name) ? {schedulerName: str(k8s.scheduler_name)} : {}),
    ...(podResources ? {resources: podResources} : {}),
  }
  if (featureFlagOn(featureFlags, 'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION')) {
    const patches = podSpecPatches(k8s, options.readPatchFile ?? ((path) => readFileSync(path, 'utf8')))
    spec = applyPodSpecPatches(spec, patches)
    if (patches.length)
      notes.push(
        `Applied ${patches.length} pod_spec patch${patches.length === 1 ? '' : 'es'} ` +
          `(${patches.map((p) => `${p.name}: ${p.type}`).join(', ')}).`,
      )
  } else if (Array.isArray(k8s.pod_spec) && k8s.pod_spec.length) {
    notes.push('pod_spec patches are ignored, as the runner ignores them, because FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is off.')
  }

  const dindName = dindIndex >= 0 ? names[dindIndex] : undefined
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {...staticEntries(podLabels.labels), ...PROBE_LABELS, [RUN_ID_LABEL]: options.runId},
      annotations: {
        ...staticEntries(k8s.pod_annotations),
        [EXPIRES_AT_ANNOTATION]: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(dindName ? {[DIND_CONTAINER_ANNOTATION]: dindName} : {}),
        ...(builder ? {[BUILDER_ANNOTATION]: builder} : {}),
      },
    },
    spec,
  }
  return {pod, notes}
}

export const BUILDER_ANNOTATION = 'runner-doctor/image-builder'

/** The dind container's name in a pod built by `buildMirrorPod`. */
export function dindContainerName(pod: V1Pod): string | undefined {
  return pod.metadata?.annotations?.[DIND_CONTAINER_ANNOTATION]
}
