import {isPlainObject} from '../../model/chart.js'
import {looksLikeRunnerValues, mentionsRunnerChart, nonEmptyList} from '../recognize.js'
import {completedElsewhere} from '../values-target.js'
import {apiVersionOf, kindOf, pinnedChartVersion, skip, specOf, type Wrapper, yamlValuesTargets} from './context.js'

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
      return {kind: 'flux-helmrelease', targets: completedElsewhere(targets, nonEmptyList(spec.valuesFrom) ? 'spec.valuesFrom' : undefined)}
    }
    return skip(mentionsRunnerChart(chart) ? 'HelmRelease without inline values (valuesFrom is not read)' : 'HelmRelease for another chart')
  },
}
