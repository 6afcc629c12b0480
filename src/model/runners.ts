import {compareVersions, isPlainObject} from './chart.js'

/**
 * A runner configuration as data: the parsed config.toml and, when it is a chart's `runners.config`, the chart
 * values around it (`data` merged over the chart defaults, `user` as written).
 */
export interface RunnerConfigData {
  data: Record<string, unknown>
  values?: {data: Record<string, unknown>; user: Record<string, unknown>; chartVersion: string}
}

/** A runner a job in a .gitlab-ci.yml could run on: a Kubernetes runner from any file of the same lint run. */
export interface CiRunner {
  /** `runner "name" (values.yaml)`, for messages. */
  label: string
  /** Its [runners.kubernetes] settings. */
  kubernetes: Record<string, unknown>
  /** Its `environment` entries as KEY → value; job variables override them. */
  environment: Map<string, string>
}

/** One `[[runners]]` entry with what the chart and defaults make of it. */
export interface RunnerView {
  index: number
  pointer: string
  name: string
  executor: string | undefined
  settings: Record<string, unknown>
  kubernetes: Record<string, unknown> | undefined
  /** Its `[runners.docker]` table, which the docker, docker+machine and docker-autoscaler executors read. */
  docker: Record<string, unknown> | undefined
  environment: string[]
}

// Most config.toml rules ask for the runners: the views are built once per target (nothing changes them).
const viewsOf = new WeakMap<RunnerConfigData, RunnerView[]>()

export function runnersOf(target: RunnerConfigData): RunnerView[] {
  let views = viewsOf.get(target)
  if (!views) {
    views = buildViews(target)
    viewsOf.set(target, views)
  }
  return views
}

function buildViews(target: RunnerConfigData): RunnerView[] {
  const list = target.data.runners
  if (!Array.isArray(list)) return []
  const chartExecutor = target.values ? chartRunnerExecutor(target.values.data) : undefined
  return list.filter(isPlainObject).map((settings, index) => {
    const kubernetes = isPlainObject(settings.kubernetes) ? settings.kubernetes : undefined
    const docker = isPlainObject(settings.docker) ? settings.docker : undefined
    const declared = typeof settings.executor === 'string' ? settings.executor : undefined
    const executor = declared ?? chartExecutor ?? (kubernetes ? 'kubernetes' : undefined)
    const environment = Array.isArray(settings.environment) ? settings.environment.filter((e): e is string => typeof e === 'string') : []
    const name = typeof settings.name === 'string' ? settings.name : `runners[${index}]`
    return {index, pointer: `/runners/${index}`, name, executor, settings, kubernetes, docker, environment}
  })
}

function chartRunnerExecutor(values: Record<string, unknown>): string {
  const runners = isPlainObject(values.runners) ? values.runners : {}
  return typeof runners.executor === 'string' ? runners.executor : 'kubernetes'
}

/**
 * A runner's `environment` as the runner reads it (common/config.go parseVariable, GetVariables): each entry is split
 * at its first `=` into name and value, both kept exactly as written (` NAME = v` sets a variable named ` NAME `);
 * an entry without `=` is dropped; a later entry for the same name wins. `index` is the entry's place in the list.
 */
export function environmentMap(environment: string[]): Map<string, {value: string; index: number}> {
  const map = new Map<string, {value: string; index: number}>()
  environment.forEach((entry, index) => {
    const eq = entry.indexOf('=')
    if (eq > 0) map.set(entry.slice(0, eq), {value: entry.slice(eq + 1), index})
  })
  return map
}

/** A runner's `environment` as name → value (see environmentMap). */
export function environmentValues(environment: string[]): Map<string, string> {
  return new Map([...environmentMap(environment)].map(([name, entry]) => [name, entry.value]))
}

/** The Kubernetes runners of a config, as jobs of a .gitlab-ci.yml linted in the same run see them. */
export function ciRunnersOf(target: RunnerConfigData, file: string): CiRunner[] {
  // Charts before 0.53.0 turned the legacy runners.privileged value into the runner's registration settings.
  const values = target.values
  const legacyRunners =
    values && compareVersions(values.chartVersion, '0.53.0') < 0 && isPlainObject(values.user.runners) ? values.user.runners : undefined
  const legacyPrivileged = legacyRunners?.privileged === true
  return runnersOf(target)
    .filter((r) => r.executor === 'kubernetes')
    .map((r) => ({
      label: `runner "${r.name}" (${file})`,
      kubernetes: legacyPrivileged && r.kubernetes?.privileged === undefined ? {...r.kubernetes, privileged: true} : (r.kubernetes ?? {}),
      environment: environmentValues(r.environment),
    }))
}

/** The global `concurrent`: from the chart values when the TOML is their runners.config, else from the TOML. */
export function concurrentOf(target: RunnerConfigData): number | undefined {
  const c = target.values ? target.values.data.concurrent : target.data.concurrent
  return typeof c === 'number' ? c : undefined
}
