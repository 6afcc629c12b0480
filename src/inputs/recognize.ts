import {isPlainObject} from '../model/chart.js'

const RUNNER_KEYS = [
  'config',
  'executor',
  'privileged',
  'image',
  'secret',
  'tags',
  'locked',
  'runUntagged',
  'cache',
  'builds',
  'services',
  'helpers',
  'namespace',
  'serviceAccountName',
  'name',
  'configPath',
  'imagePullPolicy',
  'pollTimeout',
  'outputLimit',
  'protected',
  'requestConcurrency',
  'jobNamespace',
  'cloneUrl',
  'nodeSelector',
  'nodeTolerations',
  'podLabels',
  'podAnnotations',
  'env',
  'pod_security_context',
]
export const CHART_KEYS = [
  'gitlabUrl',
  'runnerToken',
  'runnerRegistrationToken',
  'concurrent',
  'checkInterval',
  'rbac',
  'unregisterRunners',
  'certsSecretName',
  'replicas',
  'hpa',
  'imagePullPolicy',
  'logLevel',
  'metrics',
  'sessionServer',
  'serviceAccount',
  'terminationGracePeriodSeconds',
]

/** Whether an object reads as values for the gitlab/gitlab-runner chart. */
export function looksLikeRunnerValues(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false
  if ('apiVersion' in value && 'kind' in value) return false
  if ('gitlabUrl' in value || 'runnerToken' in value || 'runnerRegistrationToken' in value) return true
  const runners = value.runners
  if (!isPlainObject(runners)) return false
  const runnerHits = RUNNER_KEYS.filter((k) => k in runners).length
  const chartHits = CHART_KEYS.filter((k) => k in value).length
  return (runnerHits > 0 && chartHits > 0) || typeof runners.config === 'string'
}

export function isSopsEncrypted(value: unknown): boolean {
  return isPlainObject(value) && isPlainObject(value.sops) && ('mac' in value.sops || 'lastmodified' in value.sops)
}

/**
 * The text of a top-level `config:` in chart values when it is a whole config.toml (the chart reads config.toml only
 * from runners.config, so Helm ignores it there); undefined otherwise.
 */
export function misplacedConfigToml(values: Record<string, unknown>): string | undefined {
  const config = values.config
  if (typeof config !== 'string') return undefined
  return /^\s*\[\[runners\]\]|^\s*\[runners(\.[\w.]+)?\]|^\s*concurrent\s*=/m.test(config) ? config : undefined
}

export function isGitlabCi(value: unknown): boolean {
  if (!isPlainObject(value)) return false
  if ('stages' in value || 'include' in value || 'workflow' in value) return true
  return Object.values(value).some((job) => isPlainObject(job) && ('script' in job || 'trigger' in job || 'extends' in job))
}

/** Whether a chart reference (name, path, repository URL, OCI reference) names the gitlab-runner chart. */
export function mentionsRunnerChart(...names: unknown[]): boolean {
  return names.some((n) => typeof n === 'string' && /gitlab-runner/.test(n))
}

/** A chart version such as `0.80.1` or `v0.80.1` as a wrapper pins it; ranges and branches are not versions. */
export function exactChartVersion(version: unknown): string | undefined {
  if (typeof version !== 'string') return undefined
  return /^v?(\d+\.\d+\.\d+)$/.exec(version.trim())?.[1]
}

export const nonEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length > 0
