import {
  chartDefaults,
  chartEra,
  DEFAULT_RUNNERS_CONFIG,
  isPlainObject,
  mergeValues,
  pinnedRunnerVersion,
  runnerVersionForChart,
} from '../model/chart.js'
import type {AnalyzeOptions} from './analyze-options.js'
import type {PositionMap, Span} from './position.js'
import {misplacedConfigToml} from './recognize.js'
import {type EnvEntry, withRegistrationEnv} from './registration-env.js'
import type {LintTarget, TomlTarget, ValuesTarget} from './targets.js'
import {tomlTarget} from './toml-target.js'

/** Where chart values sit in a file, and how to find positions in them. */
export interface ValuesPlacement {
  /** Pointer of the values in the file's data, e.g. `/spec/values`. */
  pointerBase: string
  docIndex: number
  options: AnalyzeOptions
  /** The span in the file of a pointer into the values as written. */
  locate(pointer: string): Span
  /** Maps a position in the text of a string of the values (`/runners/config`) to the file; asked only when there is one. */
  stringMap(pointer: string): PositionMap
  /** A chart version the wrapper pins (HelmRelease, Application, helmfile, kustomize, Terraform). */
  wrapperVersion?: string
}

/** The values target, and the config.toml target of its `runners.config` (the user's, or the chart's default). */
export function valuesTargets(user: Record<string, unknown>, placement: ValuesPlacement): LintTarget[] {
  const {options, locate} = placement
  const named = placement.wrapperVersion ?? (options.chartVersionFromFlag ? options.chartVersion : undefined)
  const {chartVersion} = chartEra(user, named, options.runnerVersion, options.chartVersion)
  const data = mergeValues(chartDefaults(chartVersion), user) as Record<string, unknown>
  const runnerVersion = options.runnerVersion ?? pinnedRunnerVersion(user) ?? runnerVersionForChart(chartVersion)
  const values: ValuesTarget = {
    type: 'values',
    data,
    user,
    pointerBase: placement.pointerBase,
    docIndex: placement.docIndex,
    locate,
    chartVersion,
    runnerVersion,
  }
  const targets: LintTarget[] = [values]
  const misplaced = misplacedConfigToml(user)
  // A whole config.toml at the top (`config:`) is ignored by the chart; it is judged as if it sat under
  // runners.config, where it belongs, and the chart's default config it leaves in force is not judged for it.
  if (misplaced !== undefined) targets.push(runnersConfigTarget(misplaced, '/config', values, placement))
  const runners = isPlainObject(data.runners) ? data.runners : undefined
  const config = runners?.config
  if (typeof config !== 'string') return targets
  const userRunners = isPlainObject(user.runners) ? user.runners : undefined
  const fromChartDefault = typeof userRunners?.config !== 'string'
  if (fromChartDefault && misplaced !== undefined) return targets
  const anchor = locate('/runners').start
  const target = fromChartDefault
    ? runnersConfigTarget(DEFAULT_RUNNERS_CONFIG, '/runners/config', values, placement, () => anchor)
    : runnersConfigTarget(config, '/runners/config', values, placement)
  targets.push(withRegistrationEnv(target, chartEnvVars(user, locate)))
  return targets
}

/** The chart's `envVars` ({name, value} entries), each placed at its name. */
function chartEnvVars(user: Record<string, unknown>, locate: ValuesPlacement['locate']): EnvEntry[] {
  if (!Array.isArray(user.envVars)) return []
  return user.envVars.flatMap((entry, index) =>
    isPlainObject(entry) && typeof entry.name === 'string' && 'value' in entry
      ? [{name: entry.name, value: entry.value, span: locate(`/envVars/${index}/name`)}]
      : [],
  )
}

/** The config.toml target of TOML text in the values at `pointer`; `defaultMap` marks the chart's default config. */
function runnersConfigTarget(
  text: string,
  pointer: string,
  values: ValuesTarget,
  placement: ValuesPlacement,
  defaultMap?: PositionMap,
): TomlTarget {
  return tomlTarget(text, {
    pointerBase: placement.pointerBase + pointer,
    docIndex: placement.docIndex,
    map: defaultMap ?? placement.stringMap(pointer),
    label: pointer.slice(1).replaceAll('/', '.'),
    values,
    fromChartDefault: defaultMap !== undefined,
    runnerVersion: values.runnerVersion,
  })
}

/**
 * Values other files complete: the values target is marked, and a `runners.config` taken from the chart's default
 * is dropped, since the real one may be in the other files.
 */
export function completedElsewhere(targets: LintTarget[], by: string | undefined): LintTarget[] {
  if (!by) return targets
  for (const target of targets) if (target.type === 'values') target.completedBy = by
  return targets.filter((t) => !(t.type === 'config-toml' && t.fromChartDefault))
}
