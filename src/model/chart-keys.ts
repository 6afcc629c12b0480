import chartKeys from '../data/chart-values-keys-by-version.json' with {type: 'json'}
import {compareVersions, isPlainObject, KNOWN_CHART_VERSIONS} from './chart.js'
import {KeyIndex} from './suggest.js'

/**
 * The values paths the gitlab-runner chart reads, by chart version (from its templates), and what follows from them:
 * which keys no chart reads, and which keys older charts read that newer ones ignore.
 */

const BY_VERSION = chartKeys.byChartVersion as Record<string, string[]>

/** Every values path any known chart version reads. */
const ALL_PATHS = new Set(Object.values(BY_VERSION).flat())

// Objects the chart passes to Kubernetes whole (toYaml), so their own keys are Kubernetes', not the chart's.
const PASSTHROUGH = new Set([
  'resources',
  'securityContext',
  'podSecurityContext',
  'affinity',
  'nodeSelector',
  'tolerations',
  'topologySpreadConstraints',
  'hostAliases',
  'volumes',
  'volumeMounts',
  'extraObjects',
  'extraContainers',
  'extraEnv',
  'extraEnvFrom',
  'extraEnvFromRefs',
  'envVars',
  'podAnnotations',
  'podLabels',
  'deploymentAnnotations',
  'deploymentLabels',
  'deploymentLifecycle',
  'strategy',
  'imagePullSecrets',
  'secrets',
  'configMaps',
  'runners.pod_security_context',
  'runners.nodeSelector',
  'runners.nodeTolerations',
  'runners.podLabels',
  'runners.podAnnotations',
  'runners.env',
  'runners.imagePullSecrets',
  'hpa.metrics',
  'rbac.rules',
  'serviceAccount.annotations',
  'serviceAccount.imagePullSecrets',
  'rbac.serviceAccountAnnotations',
  'rbac.imagePullSecrets',
  'service.labels',
  'service.annotations',
  'service.additionalPorts',
  'sessionServer.annotations',
  'sessionServer.ingress',
  'livenessProbe',
  'readinessProbe',
])

// Keys an umbrella chart or Helm itself uses inside a subchart's values.
const HELM_KEYS = new Set(['global', 'enabled', 'install'])

/** Top-level keys Helm or an umbrella chart puts in a subchart's values; the chart itself does not read them. */
export function isHelmKey(key: string): boolean {
  return HELM_KEYS.has(key)
}

// Memoized: a values file with thousands of keys asks for the same few parents again and again.
const childrenByPrefix = new Map<string, string[]>()
const siblingIndexes = new Map<string, KeyIndex>()

/** The keys some chart version reads directly below a dotted values path ('' for the top level). */
export function chartKeysBelow(prefix: string): string[] {
  let children = childrenByPrefix.get(prefix)
  if (!children) {
    children = listChildren(prefix)
    childrenByPrefix.set(prefix, children)
  }
  return children
}

/** The chart key below `prefix` closest to a key no chart reads there, if one is close enough to be a typo. */
export function closestChartKey(prefix: string, key: string): string | undefined {
  let index = siblingIndexes.get(prefix)
  if (!index) {
    index = new KeyIndex(chartKeysBelow(prefix))
    siblingIndexes.set(prefix, index)
  }
  return index.closest(key)
}

function listChildren(prefix: string): string[] {
  const names = new Set<string>()
  const start = prefix === '' ? '' : `${prefix}.`
  for (const p of ALL_PATHS) if (p.startsWith(start)) names.add(p.slice(start.length).split('.')[0])
  if (prefix === '') for (const p of PASSTHROUGH) names.add(p.split('.')[0])
  if (prefix !== '') for (const p of PASSTHROUGH) if (p.startsWith(start)) names.add(p.slice(start.length).split('.')[0])
  return [...names]
}

/** Whether the chart takes the value at a dotted path whole: a Kubernetes object, or a chart value with no keys below. */
export function isChartLeaf(path: string): boolean {
  return PASSTHROUGH.has(path) || (ALL_PATHS.has(path) && !chartKeysBelow(path).length)
}

/** Whether the path lies inside an object the chart passes to Kubernetes whole: its keys are Kubernetes' own. */
function insidePassthrough(path: string): boolean {
  // Each dotted prefix is looked up: asked for every key of every values file, a scan of the set cost more.
  for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) if (PASSTHROUGH.has(path.slice(0, dot))) return true
  return false
}

/**
 * Paths the newest charts name only in NOTES.txt, to warn that they are deprecated: no manifest reads them.
 * runners.namespace: NOTES.txt of chart 0.86.0 warns when it is set; the job namespace comes from runners.config.
 */
const NOTES_ONLY_SINCE: Record<string, string> = {'runners.namespace': '0.53.0'}

let newestReads: Set<string> | undefined

/** Whether the newest known chart reads the path or anything below it (image became image.registry etc.). */
function readByNewestChart(path: string): boolean {
  if (NOTES_ONLY_SINCE[path]) return false
  // Every path the newest chart reads and each dotted prefix of it, gathered on first use instead of a scan per key.
  if (!newestReads) {
    newestReads = new Set()
    for (const p of BY_VERSION[`v${KNOWN_CHART_VERSIONS[KNOWN_CHART_VERSIONS.length - 1]}`]) {
      newestReads.add(p)
      for (let dot = p.indexOf('.'); dot !== -1; dot = p.indexOf('.', dot + 1)) newestReads.add(p.slice(0, dot))
    }
  }
  return newestReads.has(path)
}

/** The last known chart version whose templates read `path`, and the first one after it that does not. */
function lastChartReading(path: string): {last: string; next?: string} | undefined {
  const notesOnlySince = NOTES_ONLY_SINCE[path]
  if (notesOnlySince) {
    const last = KNOWN_CHART_VERSIONS.filter((v) => compareVersions(v, notesOnlySince) < 0).at(-1)
    return last ? {last, next: notesOnlySince} : undefined
  }
  let last: string | undefined
  let next: string | undefined
  for (const v of KNOWN_CHART_VERSIONS) {
    if (BY_VERSION[`v${v}`].includes(path)) {
      last = v
      next = undefined
    } else if (last && !next) next = v
  }
  return last ? {last, next} : undefined
}

// Chart 0.53.0 removed the pre-template keys (CHANGELOG !393, !397); the data has 0.52.0 then 0.58.1.
const removalVersion = (next: string | undefined, last: string) => (last === '0.52.0' ? '0.53.0' : next)

export interface LegacyChartKey {
  /** Dotted values path, e.g. `runners.image`. */
  path: string
  /** The last known chart version that reads it. */
  last: string
  /** The chart version that stopped reading it. */
  removedIn?: string
}

/** The keys of values as written that an older chart read and the newest chart no longer does. */
export function legacyChartKeys(user: Record<string, unknown>): LegacyChartKey[] {
  const out: LegacyChartKey[] = []
  const visit = (value: unknown, path: string[]) => {
    if (!isPlainObject(value)) return
    for (const [key, child] of Object.entries(value)) {
      const p = [...path, key]
      const dotted = p.join('.')
      if (insidePassthrough(dotted)) continue
      // Legacy before pass-through: runners.nodeSelector, runners.env ... were taken whole by old charts and by none now.
      if (ALL_PATHS.has(dotted) && !readByNewestChart(dotted)) {
        const seen = lastChartReading(dotted)
        if (seen && seen.next) {
          out.push({path: dotted, last: seen.last, removedIn: removalVersion(seen.next, seen.last)})
          continue
        }
      }
      if (PASSTHROUGH.has(dotted)) continue
      visit(child, p)
    }
  }
  visit(user, [])
  return out
}

const LEGACY_REPLACEMENT: Record<string, string> = {
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

/** Where the setting a legacy chart key carried belongs on current charts, as a reader would look for it. */
export function legacyKeyReplacement(path: string): string {
  if (LEGACY_REPLACEMENT[path]) return LEGACY_REPLACEMENT[path]
  if (path.startsWith('runners.builds.')) return 'cpu_/memory_ requests and limits in [runners.kubernetes]'
  if (path.startsWith('runners.helpers.')) return 'helper_ settings in [runners.kubernetes]'
  if (path.startsWith('runners.services.')) return 'service_ settings in [runners.kubernetes]'
  if (path.startsWith('runners.cache.')) return '[runners.cache] in runners.config, with runners.cache.secretName for credentials'
  if (path.startsWith('runners.pod_security_context')) return '[runners.kubernetes.pod_security_context]'
  if (path === 'rbac.resources' || path === 'rbac.verbs') return 'rbac.rules'
  return 'runners.config'
}
