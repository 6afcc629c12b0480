import chartKeys from '../data/chart-values-keys-by-version.json' with {type: 'json'}

export const KNOWN_CHART_VERSIONS: string[] = Object.keys(chartKeys.byChartVersion)
  .map((v) => v.replace(/^v/, ''))
  .sort(compareVersions)

export const NEWEST_CHART_VERSION = KNOWN_CHART_VERSIONS[KNOWN_CHART_VERSIONS.length - 1]

export function parseVersion(v: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [0, 0, 0]
  const pb = parseVersion(b) ?? [0, 0, 0]
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i]
  return 0
}

/** Runner version a chart version ships (chart CHANGELOG: each chart minor tracks a runner minor). */
export function runnerVersionForChart(chartVersion: string): string | undefined {
  const v = parseVersion(chartVersion)
  if (!v || v[0] !== 0) return undefined
  const [, minor, patch] = v
  if (minor >= 53) {
    const offset = minor - 53
    return `${16 + Math.floor(offset / 12)}.${offset % 12}.${patch}`
  }
  if (minor >= 41) return `15.${minor - 41}.${patch}`
  if (minor >= 30) return `14.${minor - 30}.${patch}`
  if (minor >= 17) return `13.${minor - 17}.${patch}`
  return undefined
}

/** Runner version pinned by the manager image tag (`alpine-v18.3.1`, `v18.3.1`, `ubuntu-v17.0.0`). */
export function runnerVersionFromImageTag(tag: unknown): string | undefined {
  if (typeof tag !== 'string') return undefined
  const m = /(?:^|-)v(\d+\.\d+\.\d+)$/.exec(tag.trim())
  return m?.[1]
}

/**
 * The chart version that ships a runner version: chart and runner minors move together (the inverse of
 * runnerVersionForChart), 0.(53 + 12·(major − 16) + minor) from runner 16.0 on. The chart patch does not follow the
 * runner patch, so the inferred chart is the minor's first release.
 */
export function chartVersionForRunner(runnerVersion: string): string | undefined {
  const v = parseVersion(runnerVersion)
  if (!v) return undefined
  const [major, minor] = v
  const firstMinorOfMajor: Record<number, number> = {13: 17, 14: 30, 15: 41}
  if (major >= 16) return `0.${53 + 12 * (major - 16) + minor}.0`
  const first = firstMinorOfMajor[major]
  // Runner 13.0 and 13.1 predate the chart's lockstep with the runner.
  return first === undefined || (major === 13 && minor < 2) ? undefined : `0.${first + minor}.0`
}

/**
 * The runner version the values pin through the manager image: `image.tag` on charts from 0.53.0 (an object), the
 * tag of `image` itself on older charts (`gitlab/gitlab-runner:alpine-v15.4.0`).
 */
export function pinnedRunnerVersion(user: Record<string, unknown>): string | undefined {
  const image = user.image
  if (isPlainObject(image)) return runnerVersionFromImageTag(image.tag)
  if (typeof image !== 'string') return undefined
  // The tag follows the last colon after the last slash: a registry port (host:5000/...) is not a tag.
  const name = image.trim().replace(/@.*$/, '').split('/').at(-1) ?? ''
  const colon = name.lastIndexOf(':')
  return colon < 0 ? undefined : runnerVersionFromImageTag(name.slice(colon + 1))
}

/**
 * A chart version as messages name it: `0.45.0 (the chart of runner 15.4.0)` when the values pin that runner, so a
 * reader who set only image.tag sees where the chart version came from; the bare version otherwise.
 */
export function describeChartVersion(chartVersion: string, user: Record<string, unknown>): string {
  const runner = pinnedRunnerVersion(user)
  const chart = runner && chartVersionForRunner(runner)
  const sameMinor = chart !== undefined && parseVersion(chart)?.slice(0, 2).join('.') === parseVersion(chartVersion)?.slice(0, 2).join('.')
  return sameMinor ? `${chartVersion} (the chart of runner ${runner})` : chartVersion
}

export interface ChartEra {
  chartVersion: string
  /** Set when no chart version was given and it follows from the pinned runner version. */
  inferredFromRunner?: string
}

/**
 * The chart version values are judged against: the one named (flag or wrapper) wins; without one, the chart that
 * ships the runner version the values pin (image tag, or --runner-version); else the default.
 */
export function chartEra(
  user: Record<string, unknown>,
  named: string | undefined,
  runnerFlag: string | undefined,
  fallback: string,
): ChartEra {
  if (named) return {chartVersion: named}
  const runner = runnerFlag ?? pinnedRunnerVersion(user)
  const inferred = runner && chartVersionForRunner(runner)
  return inferred ? {chartVersion: inferred, inferredFromRunner: runner} : {chartVersion: fallback}
}

export const DEFAULT_RUNNERS_CONFIG = `[[runners]]
  [runners.kubernetes]
    namespace = "{{.Release.Namespace}}"
    image = "alpine"
`

/** The chart's own values.yaml defaults that rules depend on (CHART@0.80.1; older charts noted). */
export function chartDefaults(chartVersion: string): Record<string, unknown> {
  const atLeast = (v: string) => compareVersions(chartVersion, v) >= 0
  const defaults: Record<string, unknown> = {
    image: atLeast('0.53.0') ? {registry: 'registry.gitlab.com', image: 'gitlab-org/gitlab-runner'} : 'gitlab/gitlab-runner',
    imagePullPolicy: 'IfNotPresent',
    unregisterRunners: true,
    terminationGracePeriodSeconds: 3600,
    concurrent: 10,
    checkInterval: atLeast('0.41.0') ? 3 : 30,
    rbac: {create: false, rules: [], clusterWideAccess: false, podSecurityPolicy: {enabled: false}},
    metrics: {enabled: false},
    sessionServer: {enabled: false},
    resources: {},
    nodeSelector: {},
    tolerations: [],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      runAsNonRoot: true,
      privileged: false,
      capabilities: {drop: ['ALL']},
    },
    podSecurityContext: {runAsUser: 100, fsGroup: 65533},
    runners: atLeast('0.23.0') ? {config: DEFAULT_RUNNERS_CONFIG, cache: {}} : {cache: {}},
  }
  return defaults
}

/** Helm's merge: user maps merge into defaults, anything else replaces, null deletes. */
export function mergeValues(defaults: unknown, user: unknown): unknown {
  if (isPlainObject(defaults) && isPlainObject(user)) {
    const out: Record<string, unknown> = {...defaults}
    for (const [key, value] of Object.entries(user)) {
      if (value === null) delete out[key]
      else out[key] = mergeValues(defaults[key], value)
    }
    return out
  }
  return user === undefined ? defaults : user
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The map at `key`, or an empty one when the key is unset or holds something else. */
export function mapAt(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key]
  return isPlainObject(value) ? value : {}
}

/**
 * Values split over several files (helmfile value lists, HelmRelease valuesFrom, -f overlays) leave any one of them
 * without settings the others carry. Rules about a missing setting only judge values that hold the runner itself.
 */
export function valuesLookComplete(values: {user: Record<string, unknown>; completedBy?: string}): boolean {
  return !values.completedBy && isPlainObject(values.user.runners)
}
