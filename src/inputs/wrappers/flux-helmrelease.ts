import {isPlainObject} from '../../model/chart.js'
import {looksLikeRunnerValues, mentionsRunnerChart, nonEmptyList} from '../recognize.js'
import {completedElsewhere} from '../values-target.js'
import type {ValuesTarget} from '../targets.js'
import {
  apiVersionOf,
  kindOf,
  locatorAt,
  pinnedChartVersion,
  skip,
  specOf,
  type Wrapper,
  type YamlContext,
  yamlValuesTargets,
} from './context.js'

/** A Flux HelmRelease with inline `spec.values`. */
export const fluxHelmRelease: Wrapper = {
  name: 'Flux HelmRelease',
  match: (data) => kindOf(data) === 'HelmRelease' && apiVersionOf(data).includes('fluxcd.io') && specOf(data) !== undefined,
  extract(ctx, data) {
    const spec = specOf(data)!
    const chartSpec = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined
    const chart = chartSpec?.chart ?? spec.chart
    const values = spec.values
    if (looksLikeRunnerValues(values) || (mentionsRunnerChart(chart, spec.releaseName) && isPlainObject(values))) {
      const targets = yamlValuesTargets(ctx, values as Record<string, unknown>, '/spec/values', pinnedChartVersion(ctx, chartSpec?.version))
      const constraint = chartConstraintOf(ctx, data, spec)
      if (constraint) for (const target of targets) if (target.type === 'values') target.chartConstraint = constraint
      return {kind: 'flux-helmrelease', targets: completedElsewhere(targets, nonEmptyList(spec.valuesFrom) ? 'spec.valuesFrom' : undefined)}
    }
    return skip(mentionsRunnerChart(chart) ? 'HelmRelease without inline values (valuesFrom is not read)' : 'HelmRelease for another chart')
  },
}

/**
 * The chart version as written, where the file says it. Flux v2 reads a missing `spec.chart.spec.version` as "*"; a
 * `chartRef` keeps the version in another object, and Flux v1's Helm Operator is only judged on a version it states.
 */
function chartConstraintOf(
  ctx: YamlContext,
  data: Record<string, unknown>,
  spec: Record<string, unknown>,
): ValuesTarget['chartConstraint'] {
  const locate = locatorAt(ctx, '')
  const written = (version: unknown) => (version === undefined ? undefined : String(version))
  if (!isPlainObject(spec.chart)) return undefined
  if (apiVersionOf(data).startsWith('helm.toolkit.fluxcd.io/')) {
    const chartSpec = isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined
    if (!chartSpec) return undefined
    const pointer = 'version' in chartSpec ? '/spec/chart/spec/version' : '/spec/chart'
    return {written: written(chartSpec.version), pointer: (ctx.prefix ?? '') + pointer, span: locate(pointer)}
  }
  if (!('version' in spec.chart)) return undefined
  return {written: written(spec.chart.version), pointer: (ctx.prefix ?? '') + '/spec/chart/version', span: locate('/spec/chart/version')}
}
