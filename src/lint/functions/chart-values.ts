import chartKeys from '../../data/chart-values-keys-by-version.json' with {type: 'json'}
import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import type {TomlTarget, ValuesTarget} from '../../inputs/targets.js'
import {encodePointer} from '../../inputs/yaml-source.js'
import {compareVersions, isPlainObject, KNOWN_CHART_VERSIONS} from '../../model/chart.js'
import {concurrentOf, runnersOf} from '../../model/runners.js'
import {isPlaceholder, tokenKind} from '../../model/secrets.js'
import {KeyIndex} from '../../model/suggest.js'
import type {FunctionResult, RuleFunction} from './types.js'

const BY_VERSION = chartKeys.byChartVersion as Record<string, string[]>
const VERSIONS = KNOWN_CHART_VERSIONS

/** Every values path any known chart version reads. */
const ALL_PATHS = new Set(Object.values(BY_VERSION).flat())

// Objects the chart passes to Kubernetes whole (toYaml), so their own keys are Kubernetes', not the chart's.
const PASSTHROUGH = new Set([
  'resources', 'securityContext', 'podSecurityContext', 'affinity', 'nodeSelector', 'tolerations', 'topologySpreadConstraints',
  'hostAliases', 'volumes', 'volumeMounts', 'extraObjects', 'extraContainers', 'extraEnv', 'extraEnvFrom', 'extraEnvFromRefs',
  'envVars', 'podAnnotations', 'podLabels', 'deploymentAnnotations', 'deploymentLabels', 'deploymentLifecycle', 'strategy',
  'imagePullSecrets', 'secrets', 'configMaps', 'runners.pod_security_context', 'runners.nodeSelector', 'runners.nodeTolerations',
  'runners.podLabels', 'runners.podAnnotations', 'runners.env', 'runners.imagePullSecrets', 'hpa.metrics', 'rbac.rules',
  'serviceAccount.annotations', 'serviceAccount.imagePullSecrets', 'rbac.serviceAccountAnnotations', 'rbac.imagePullSecrets',
  'service.labels', 'service.annotations', 'service.additionalPorts', 'sessionServer.annotations', 'sessionServer.ingress',
  'livenessProbe', 'readinessProbe',
])

// Keys an umbrella chart or Helm itself uses inside a subchart's values.
const HELM_KEYS = new Set(['global', 'enabled', 'install'])

// Memoized: a values file with thousands of keys asks for the same few parents again and again.
const childrenByPrefix = new Map<string, string[]>()
const siblingIndexes = new Map<string, KeyIndex>()

function childrenOf(prefix: string): string[] {
  let children = childrenByPrefix.get(prefix)
  if (!children) {
    children = listChildren(prefix)
    childrenByPrefix.set(prefix, children)
  }
  return children
}

function siblingIndex(prefix: string): KeyIndex {
  let index = siblingIndexes.get(prefix)
  if (!index) {
    index = new KeyIndex(childrenOf(prefix))
    siblingIndexes.set(prefix, index)
  }
  return index
}

function listChildren(prefix: string): string[] {
  const names = new Set<string>()
  const start = prefix === '' ? '' : `${prefix}.`
  for (const p of ALL_PATHS) if (p.startsWith(start)) names.add(p.slice(start.length).split('.')[0])
  if (prefix === '') for (const p of PASSTHROUGH) names.add(p.split('.')[0])
  if (prefix !== '') for (const p of PASSTHROUGH) if (p.startsWith(start)) names.add(p.slice(start.length).split('.')[0])
  return [...names]
}

function isLeaf(path: string): boolean {
  return PASSTHROUGH.has(path) || (ALL_PATHS.has(path) && !childrenOf(path).length)
}

/** Values keys no chart version reads: Helm ignores them without a word. */
export const valuesUnknownKey: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const out: FunctionResult[] = []
  const visit = (value: Record<string, unknown>, path: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      const p = [...path, key]
      const dotted = p.join('.')
      if (path.length === 0 && HELM_KEYS.has(key)) continue
      if (isLeaf(dotted)) continue
      const parentPath = path.join('.')
      const siblings = childrenOf(parentPath)
      if (siblings.includes(key)) {
        if (isPlainObject(child) && childrenOf(dotted).length > 0) visit(child, p)
        continue
      }
      const guess = siblingIndex(parentPath).closest(key)
      const parent = path.length ? `${path.join('.')}.` : ''
      out.push({pointer: encodePointer(p), message: `${parent}${key} is not a value of the gitlab-runner chart, so Helm ignores it.${guess ? ` Did you mean ${parent}${guess}?` : ''}`})
    }
  }
  visit(target.user, [])
  return out
}

function underPassthrough(path: string): boolean {
  return [...PASSTHROUGH].some((p) => path === p || path.startsWith(`${p}.`))
}

/** Whether the newest known chart reads the path or anything below it (image became image.registry etc.). */
function readByNewestChart(path: string): boolean {
  const newest = BY_VERSION[`v${VERSIONS[VERSIONS.length - 1]}`]
  return newest.some((p) => p === path || p.startsWith(`${path}.`))
}

/** The last known chart version whose templates read `path`, and the first one after it that does not. */
function lastChartReading(path: string): {last: string; next?: string} | undefined {
  let last: string | undefined
  let next: string | undefined
  for (const v of VERSIONS) {
    if (BY_VERSION[`v${v}`].includes(path)) {
      last = v
      next = undefined
    } else if (last && !next) next = v
  }
  return last ? {last, next} : undefined
}

// Chart 0.53.0 removed the pre-template keys (CHANGELOG !393, !397); the data has 0.52.0 then 0.58.1.
const removalVersion = (next: string | undefined, last: string) => (last === '0.52.0' ? '0.53.0' : next)

function legacyKeys(target: ValuesTarget): Array<{path: string; last: string; removedIn?: string}> {
  const out: Array<{path: string; last: string; removedIn?: string}> = []
  const visit = (value: unknown, path: string[]) => {
    if (!isPlainObject(value)) return
    for (const [key, child] of Object.entries(value)) {
      const p = [...path, key]
      const dotted = p.join('.')
      if (underPassthrough(dotted)) continue
      if (ALL_PATHS.has(dotted) && !readByNewestChart(dotted)) {
        const seen = lastChartReading(dotted)
        if (seen && seen.next) {
          out.push({path: dotted, last: seen.last, removedIn: removalVersion(seen.next, seen.last)})
          continue
        }
      }
      visit(child, p)
    }
  }
  visit(target.user, [])
  return out
}

const LEGACY_HINT: Record<string, string> = {
  'runners.image': 'image in [runners.kubernetes]',
  'runners.imagePullPolicy': 'pull_policy in [runners.kubernetes]',
  'runners.namespace': 'namespace in [runners.kubernetes] (or runners.jobNamespace)',
  'runners.pollTimeout': 'poll_timeout in [runners.kubernetes]',
  'runners.serviceAccountName': 'service_account in [runners.kubernetes]',
  'runners.outputLimit': 'output_limit in [[runners]]',
  'runners.requestConcurrency': 'request_concurrency in [[runners]]',
  'runners.cloneUrl': 'clone_url in [[runners]]',
  'runners.env': 'environment in [[runners]]',
  'runners.nodeSelector': '[runners.kubernetes.node_selector]',
  'runners.nodeTolerations': '[runners.kubernetes.node_tolerations]',
  'runners.podLabels': '[runners.kubernetes.pod_labels]',
  'runners.podAnnotations': '[runners.kubernetes.pod_annotations]',
  'runners.imagePullSecrets': 'image_pull_secrets in [runners.kubernetes]',
}

function hintFor(path: string): string {
  if (LEGACY_HINT[path]) return LEGACY_HINT[path]
  if (path.startsWith('runners.builds.')) return 'cpu_/memory_ requests and limits in [runners.kubernetes]'
  if (path.startsWith('runners.helpers.')) return 'helper_ settings in [runners.kubernetes]'
  if (path.startsWith('runners.services.')) return 'service_ settings in [runners.kubernetes]'
  if (path.startsWith('runners.cache.')) return '[runners.cache] in runners.config, with runners.cache.secretName for credentials'
  if (path.startsWith('runners.pod_security_context')) return '[runners.kubernetes.pod_security_context]'
  if (path === 'rbac.resources' || path === 'rbac.verbs') return 'rbac.rules'
  return 'runners.config'
}

/** Pre-template chart keys that the chart version no longer reads (runners.privileged has its own rule). */
export const valuesLegacyKeyIgnored: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  return legacyKeys(target)
    .filter((k) => k.path !== 'runners.privileged' && k.removedIn && compareVersions(target.chartVersion, k.removedIn) >= 0)
    .map((k) => ({
      pointer: encodePointer(k.path.split('.')),
      message: `${k.path} was removed in chart ${k.removedIn}; chart ${target.chartVersion} ignores it. Set ${hintFor(k.path)} instead.`,
    }))
}

/** On charts up to 0.52 the legacy keys become registration settings that override runners.config. */
export const valuesLegacyKeyOverridesConfig: RuleFunction = ({target}) => {
  if (target.type !== 'values' || compareVersions(target.chartVersion, '0.53.0') >= 0) return []
  const userRunners = isPlainObject(target.user.runners) ? target.user.runners : {}
  if (typeof userRunners.config !== 'string') return []
  return legacyKeys(target)
    .filter((k) => k.path.startsWith('runners.') && k.removedIn === '0.53.0')
    .map((k) => ({pointer: encodePointer(k.path.split('.')), message: `On chart ${target.chartVersion}, ${k.path} is passed to registration and wins over the same setting in runners.config; keep one of them (${hintFor(k.path)}).`}))
}

// ---- Manager image and pod --------------------------------------------------------------------------------

export const valuesImageString: RuleFunction = ({target}) => {
  if (target.type !== 'values' || typeof target.user.image !== 'string' || compareVersions(target.chartVersion, '0.53.0') < 0) return []
  return [{pointer: '/image', message: `image is a string, but chart ${target.chartVersion} reads image.registry, image.image and image.tag: rendering fails or the default image is used.`}]
}

export const valuesManagerImageUnpinned: RuleFunction = ({target}) => {
  if (target.type !== 'values' || !isPlainObject(target.user.image)) return []
  const tag = target.user.image.tag
  if (typeof tag !== 'string' || isTemplatePlaceholder(tag) || isPlaceholder(tag)) return []
  if (!/^(latest|bleeding|alpine|ubuntu)$|-(latest|bleeding)$/.test(tag.trim())) return []
  return [{pointer: '/image/tag', message: `image.tag "${tag}" moves with every release: the manager can change version on a pod restart, out of step with the chart and the helper image.`}]
}

export const valuesManagerSecurityWeakened: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const out: FunctionResult[] = []
  const sc = isPlainObject(target.user.securityContext) ? target.user.securityContext : {}
  const psc = isPlainObject(target.user.podSecurityContext) ? target.user.podSecurityContext : {}
  if (sc.privileged === true) out.push({pointer: '/securityContext/privileged', message: 'securityContext.privileged: true makes the runner manager privileged; it only talks to the Kubernetes API and needs no host access.'})
  if (sc.allowPrivilegeEscalation === true) out.push({pointer: '/securityContext/allowPrivilegeEscalation', message: 'securityContext.allowPrivilegeEscalation: true undoes the chart default for the runner manager.'})
  if (sc.runAsNonRoot === false) out.push({pointer: '/securityContext/runAsNonRoot', message: 'securityContext.runAsNonRoot: false lets the runner manager run as root.'})
  if (psc.runAsUser === 0 || sc.runAsUser === 0) out.push({pointer: psc.runAsUser === 0 ? '/podSecurityContext/runAsUser' : '/securityContext/runAsUser', message: 'runAsUser: 0 runs the runner manager, which holds the runner token, as root.'})
  return out
}

// ---- RBAC and service account ------------------------------------------------------------------------------

function rbacOf(target: ValuesTarget): Record<string, unknown> {
  return isPlainObject(target.data.rbac) ? target.data.rbac : {}
}

export const valuesRbacWildcard: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const rbac = rbacOf(target)
  if (rbac.create !== true) return []
  const rules = Array.isArray(rbac.rules) ? rbac.rules.filter(isPlainObject) : []
  // Where other files complete the values, rbac.rules may be among what they add.
  const userRbac = isPlainObject(target.user.rbac) ? target.user.rbac : {}
  if (rules.length === 0 && target.completedBy && userRbac.rules === undefined) return []
  const wild = (v: unknown) => v === undefined || (Array.isArray(v) && v.includes('*'))
  const scope = rbac.clusterWideAccess === true ? 'in every namespace of the cluster' : 'in its namespace'
  const severity = rbac.clusterWideAccess === true ? 'error' : undefined
  if (rules.length === 0) return [{pointer: '/rbac/create', severity, message: `rbac.create without rbac.rules grants the runner every verb on every core resource ${scope}, secrets included.`}]
  return rules.flatMap((rule, i) =>
    wild(rule.resources) || wild(rule.verbs) ? [{pointer: `/rbac/rules/${i}`, severity, message: `rbac.rules[${i}] allows ${wild(rule.verbs) ? 'every verb' : 'its verbs'} on ${wild(rule.resources) ? 'every resource' : 'its resources'} ${scope}.`}] : [],
  )
}

export const valuesPodSecurityPolicy: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const psp = rbacOf(target).podSecurityPolicy
  if (!isPlainObject(psp) || psp.enabled !== true) return []
  return [{pointer: '/rbac/podSecurityPolicy/enabled', message: 'rbac.podSecurityPolicy.enabled grants use of PodSecurityPolicies, an API removed in Kubernetes 1.25: on current clusters the chart fails to install or the rule does nothing.'}]
}

/**
 * Values split over several files (helmfile value lists, HelmRelease valuesFrom, -f overlays) leave any one of them
 * without settings the others carry. Rules about a missing setting only judge values that hold the runner itself.
 */
function looksComplete(target: ValuesTarget): boolean {
  return !target.completedBy && isPlainObject(target.user.runners)
}

export const valuesNoServiceAccount: RuleFunction = ({target}) => {
  if (target.type !== 'values' || !looksComplete(target)) return []
  const rbac = rbacOf(target)
  const sa = isPlainObject(target.data.serviceAccount) ? target.data.serviceAccount : {}
  if (rbac.create === true || sa.create === true || (typeof sa.name === 'string' && sa.name !== '') || (typeof rbac.serviceAccountName === 'string' && rbac.serviceAccountName !== '')) return []
  const pointer = isPlainObject(target.user.rbac) && 'create' in target.user.rbac ? '/rbac/create' : ''
  return [{pointer, message: 'Neither rbac.create nor a serviceAccount is set, so the runner manager uses the namespace default service account, which usually cannot create job pods ("pods is forbidden").'}]
}

const DEPRECATED_RBAC: Record<string, string> = {
  serviceAccountName: 'serviceAccount.name',
  serviceAccountAnnotations: 'serviceAccount.annotations',
  imagePullSecrets: 'serviceAccount.imagePullSecrets',
  generatedServiceAccountName: 'serviceAccount.name',
}

export const valuesDeprecatedRbacFields: RuleFunction = ({target}) => {
  if (target.type !== 'values' || compareVersions(target.chartVersion, '0.66.0') < 0) return []
  const rbac = isPlainObject(target.user.rbac) ? target.user.rbac : {}
  return Object.entries(DEPRECATED_RBAC)
    .filter(([key]) => rbac[key] !== undefined && rbac[key] !== '' && rbac[key] !== null && !(isPlainObject(rbac[key]) && Object.keys(rbac[key] as object).length === 0) && !(Array.isArray(rbac[key]) && (rbac[key] as unknown[]).length === 0))
    .map(([key, instead]) => ({pointer: `/rbac/${key}`, message: `rbac.${key} is deprecated since chart 0.66; use ${instead}.`}))
}

// ---- Lifecycle, session server, metrics ------------------------------------------------------------------

export const valuesUnregisterLifecycleConflict: RuleFunction = ({target}) => {
  if (target.type !== 'values' || target.data.unregisterRunners === false) return []
  const lifecycle = target.user.deploymentLifecycle
  if (!isPlainObject(lifecycle) || Object.keys(lifecycle).length === 0) return []
  if (JSON.stringify(lifecycle).includes('unregister')) return []
  return [{pointer: '/deploymentLifecycle', message: 'deploymentLifecycle replaces the preStop hook that unregisterRunners adds, so runners are not unregistered when the pod stops.'}]
}

export const valuesSessionServerWithReplicas: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const session = isPlainObject(target.data.sessionServer) ? target.data.sessionServer : {}
  const replicas = target.user.replicas
  if (session.enabled !== true || replicas === undefined || replicas === 1) return []
  return [{pointer: '/replicas', message: `sessionServer.enabled with replicas: ${String(replicas)}: the chart renders the session server only for a single replica, so interactive web terminals are off.`}]
}

export const valuesSessionServerExposed: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const session = isPlainObject(target.data.sessionServer) ? target.data.sessionServer : {}
  if (session.enabled !== true || (session.serviceType ?? 'LoadBalancer') !== 'LoadBalancer') return []
  if (Array.isArray(session.loadBalancerSourceRanges) && session.loadBalancerSourceRanges.length > 0) return []
  return [{pointer: '/sessionServer/enabled', message: 'The session server (interactive web terminals into jobs) is exposed through a LoadBalancer without loadBalancerSourceRanges.'}]
}

export const valuesServiceMonitorInert: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const metrics = isPlainObject(target.data.metrics) ? target.data.metrics : {}
  const service = isPlainObject(target.data.service) ? target.data.service : {}
  const monitor = isPlainObject(metrics.serviceMonitor) ? metrics.serviceMonitor : {}
  if (monitor.enabled !== true || (metrics.enabled === true && service.enabled === true)) return []
  const missing = [metrics.enabled !== true && 'metrics.enabled', service.enabled !== true && 'service.enabled'].filter(Boolean).join(' and ')
  return [{pointer: '/metrics/serviceMonitor/enabled', message: `metrics.serviceMonitor.enabled without ${missing}: the chart renders no ServiceMonitor and nothing is scraped.`}]
}

export const valuesHpaMaxReplicasMissing: RuleFunction = ({target}) => {
  if (target.type !== 'values' || !isPlainObject(target.user.hpa) || Object.keys(target.user.hpa).length === 0) return []
  if (target.user.hpa.maxReplicas !== undefined) return []
  return [{pointer: '/hpa', message: 'hpa is set without maxReplicas, which the chart defaults to 1: the autoscaler can never add a runner pod.'}]
}

export const valuesGraceBelowShutdownTimeout: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const grace = target.data.terminationGracePeriodSeconds
  const shutdown = typeof target.data.shutdown_timeout === 'number' && target.data.shutdown_timeout > 0 ? target.data.shutdown_timeout : 30
  if (typeof grace !== 'number' || grace >= shutdown) return []
  return [{pointer: '/terminationGracePeriodSeconds', message: `terminationGracePeriodSeconds: ${grace} is shorter than the runner's shutdown_timeout of ${shutdown} seconds: Kubernetes kills the manager before it has aborted its jobs, leaving job pods behind.`}]
}

// Registration options that GitLab refuses with an authentication token: "Runner configuration ... is reserved".
const RESERVED_ENV = ['REGISTER_MAXIMUM_TIMEOUT', 'REGISTER_PAUSED', 'REGISTER_MAINTENANCE_NOTE', 'REGISTER_ACCESS_LEVEL', 'REGISTER_RUN_UNTAGGED']

export const valuesReservedRegistrationArgs: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const registration = target.user.runnerRegistrationToken
  if (typeof registration === 'string' && registration !== '') return []
  const auth = target.user.runnerToken
  if (typeof auth === 'string' && auth !== '' && !isPlaceholder(auth) && tokenKind(auth) === 'registration') return []
  const out: FunctionResult[] = []
  const runners = isPlainObject(target.user.runners) ? target.user.runners : {}
  if (runners.maximumTimeout !== undefined && runners.maximumTimeout !== null && runners.maximumTimeout !== '') {
    out.push({pointer: '/runners/maximumTimeout', message: 'runners.maximumTimeout is passed to registration, which fails with "Runner configuration other than name and executor configuration is reserved" when the runner uses an authentication token: set the maximum timeout on the runner in GitLab.'})
  }
  const env = target.user.envVars
  if (Array.isArray(env)) {
    env.forEach((e, i) => {
      if (isPlainObject(e) && typeof e.name === 'string' && RESERVED_ENV.includes(e.name)) out.push({pointer: `/envVars/${i}`, message: `envVars ${e.name} is a registration setting GitLab refuses with an authentication token ("configuration … is reserved"): set it on the runner in GitLab.`})
    })
  }
  return out
}

export const valuesNoGitlabUrl: RuleFunction = ({target}) => {
  if (target.type !== 'values' || 'global' in target.user || 'install' in target.user || !looksComplete(target)) return []
  const url = target.user.gitlabUrl
  if (typeof url === 'string' && url.trim() !== '') return []
  return [{pointer: url === undefined ? '' : '/gitlabUrl', message: 'gitlabUrl is not set: the runner cannot register or reach GitLab, and the chart only prints a warning.'}]
}

// ---- runners.config as the chart uses it ------------------------------------------------------------------

const GLOBAL_TO_VALUE: Record<string, string> = {
  concurrent: 'concurrent',
  check_interval: 'checkInterval',
  log_level: 'logLevel',
  log_format: 'logFormat',
  listen_address: 'metrics.enabled and metrics.port',
  shutdown_timeout: 'shutdown_timeout',
  sentry_dsn: 'sentryDsn',
  connection_max_age: 'connectionMaxAge',
  session_server: 'sessionServer',
}

export const globalKeyInTemplate: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml' || !target.values || target.fromChartDefault) return []
  return Object.keys(target.data)
    .filter((k) => k in GLOBAL_TO_VALUE)
    .map((k) => ({pointer: `/${k}`, message: `${k} in runners.config is ignored: the chart writes the global section itself. Set the chart value ${GLOBAL_TO_VALUE[k]} instead.`}))
}

export const templateRunnerCount: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml' || !target.values || target.fromChartDefault) return []
  const count = Array.isArray(target.data.runners) ? target.data.runners.length : 0
  if (count === 1) return []
  return [{pointer: count > 1 ? '/runners/1' : '', message: `runners.config has ${count} [[runners]] entries; registration needs exactly one ("configuration template must contain exactly one [[runners]] entry") and the runner pod never starts.`}]
}

export const namespaceFeaturesNeedClusterWide: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml' || !target.values) return []
  const rbac = isPlainObject(target.values.data.rbac) ? target.values.data.rbac : {}
  if (rbac.create !== true || rbac.clusterWideAccess === true) return []
  return runnersOf(target).flatMap((r) => {
    const k = r.kubernetes ?? {}
    const key = k.namespace_per_job === true ? 'namespace_per_job' : typeof k.namespace_overwrite_allowed === 'string' && k.namespace_overwrite_allowed !== '' ? 'namespace_overwrite_allowed' : undefined
    return key ? [{pointer: `${r.pointer}/kubernetes/${key}`, message: `${key} places job pods in other namespaces, but the chart's Role only covers its own namespace (rbac.clusterWideAccess is false): those jobs fail with "forbidden".`}] : []
  })
}

export const limitAboveConcurrent: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  const concurrent = concurrentOf(target)
  if (concurrent === undefined || concurrent < 1) return []
  return runnersOf(target)
    .filter((r) => typeof r.settings.limit === 'number' && r.settings.limit > concurrent)
    .map((r) => ({pointer: `${r.pointer}/limit`, message: `${r.name} has limit = ${String(r.settings.limit)} but concurrent = ${concurrent} caps the whole process, so the limit is never reached.`}))
}

export const requestConcurrencyAboveLimit: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  return runnersOf(target)
    .filter((r) => typeof r.settings.limit === 'number' && r.settings.limit > 0 && typeof r.settings.request_concurrency === 'number' && r.settings.request_concurrency > r.settings.limit)
    .map((r) => ({pointer: `${r.pointer}/request_concurrency`, message: `${r.name} has request_concurrency = ${String(r.settings.request_concurrency)} above limit = ${String(r.settings.limit)}: the extra requests can never become jobs.`}))
}

// Feature flags of runner 18.3 (helpers/featureflags/flags.go); unknown names are accepted and ignored.
let featureFlagIndex: KeyIndex | undefined
const FEATURE_FLAGS = [
  'FF_NETWORK_PER_BUILD', 'FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY', 'FF_USE_DIRECT_DOWNLOAD', 'FF_SKIP_NOOP_BUILD_STAGES', 'FF_USE_FASTZIP',
  'FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR', 'FF_ENABLE_BASH_EXIT_CODE_CHECK', 'FF_USE_WINDOWS_LEGACY_PROCESS_STRATEGY', 'FF_USE_NEW_BASH_EVAL_STRATEGY',
  'FF_USE_POWERSHELL_PATH_RESOLVER', 'FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL', 'FF_SCRIPT_SECTIONS', 'FF_ENABLE_JOB_CLEANUP',
  'FF_KUBERNETES_HONOR_ENTRYPOINT', 'FF_POSIXLY_CORRECT_ESCAPES', 'FF_RESOLVE_FULL_TLS_CHAIN', 'FF_DISABLE_POWERSHELL_STDIN',
  'FF_USE_POD_ACTIVE_DEADLINE_SECONDS', 'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION', 'FF_SET_PERMISSIONS_BEFORE_CLEANUP',
  'FF_SECRET_RESOLVING_FAILS_IF_MISSING', 'FF_PRINT_POD_EVENTS', 'FF_USE_GIT_BUNDLE_URIS', 'FF_USE_GIT_NATIVE_CLONE',
  'FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR', 'FF_USE_INIT_WITH_DOCKER_EXECUTOR', 'FF_LOG_IMAGES_CONFIGURED_FOR_JOB',
  'FF_USE_DOCKER_AUTOSCALER_DIAL_STDIO', 'FF_CLEAN_UP_FAILED_CACHE_EXTRACT', 'FF_USE_WINDOWS_JOB_OBJECT', 'FF_TIMESTAMPS',
  'FF_DISABLE_AUTOMATIC_TOKEN_ROTATION', 'FF_USE_LEGACY_GCS_CACHE_ADAPTER', 'FF_DISABLE_UMASK_FOR_KUBERNETES_EXECUTOR',
  'FF_USE_LEGACY_S3_CACHE_ADAPTER', 'FF_GIT_URLS_WITHOUT_TOKENS', 'FF_WAIT_FOR_POD_TO_BE_REACHABLE', 'FF_USE_NATIVE_STEPS',
  'FF_MASK_ALL_DEFAULT_TOKENS', 'FF_EXPORT_HIGH_CARDINALITY_METRICS', 'FF_USE_FLEETING_ACQUIRE_HEARTBEATS',
  'FF_USE_EXPONENTIAL_BACKOFF_STAGE_RETRY', 'FF_USE_ADAPTIVE_REQUEST_CONCURRENCY', 'FF_USE_GITALY_CORRELATION_ID',
  'FF_CMD_DISABLE_DELAYED_ERROR_LEVEL_EXPANSION', 'FF_USE_LEGACY_BUILDS_DIR_FOR_DOCKER', 'FF_USE_LEGACY_VOLUMES_MOUNTING_ORDER',
]

/**
 * A feature flag name close to a real one but not equal to it is a typo the runner accepts silently. Names far from
 * every known flag are left alone: they may be flags of a newer runner.
 */
export const featureFlagTypo: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  return runnersOf(target).flatMap((r) => {
    const out: FunctionResult[] = []
    const check = (name: string, pointer: string) => {
      if (FEATURE_FLAGS.includes(name)) return
      featureFlagIndex ??= new KeyIndex(FEATURE_FLAGS)
      const guess = featureFlagIndex.closest(name)
      if (guess && guess.toLowerCase() !== name.toLowerCase()) out.push({pointer, message: `${name} is not a feature flag, so it changes nothing. Did you mean ${guess}?`})
      else if (guess) out.push({pointer, message: `Feature flag names are case-sensitive: ${name} is ignored; write ${guess}.`})
    }
    const flags = isPlainObject(r.settings.feature_flags) ? r.settings.feature_flags : {}
    for (const name of Object.keys(flags)) check(name, `${r.pointer}/feature_flags/${name}`)
    r.environment.forEach((entry, i) => {
      const name = /^\s*(FF_[A-Za-z0-9_]+)\s*=/i.exec(entry)?.[1]
      if (name) check(name, `${r.pointer}/environment/${i}`)
    })
    return out
  })
}
