import {isPlainObject} from '../../model/chart.js'
import {looksLikeRunnerValues, mentionsRunnerChart, nonEmptyList} from '../recognize.js'
import type {LintTarget} from '../targets.js'
import {completedElsewhere} from '../values-target.js'
import {kindOf, pinnedChartVersion, skip, type Wrapper, yamlValuesTargets} from './context.js'

/** A kustomization whose `helmCharts` entries carry `valuesInline`. */
export const kustomization: Wrapper = {
  name: 'kustomize helmCharts',
  match: (data) => kindOf(data) === 'Kustomization' || (Array.isArray(data.helmCharts) && !kindOf(data)),
  extract(ctx, data) {
    const targets: LintTarget[] = []
    if (Array.isArray(data.helmCharts)) {
      data.helmCharts.forEach((chart, i) => {
        if (!isPlainObject(chart) || !isPlainObject(chart.valuesInline)) return
        if (mentionsRunnerChart(chart.name, chart.releaseName) || looksLikeRunnerValues(chart.valuesInline)) {
          const completedBy = typeof chart.valuesFile === 'string' || nonEmptyList(chart.additionalValuesFiles) ? 'valuesFile' : undefined
          targets.push(
            ...completedElsewhere(
              yamlValuesTargets(ctx, chart.valuesInline, `/helmCharts/${i}/valuesInline`, pinnedChartVersion(ctx, chart.version)),
              completedBy,
            ),
          )
        }
      })
    }
    return targets.length > 0 ? {kind: 'kustomization', targets} : skip('kustomization without gitlab-runner valuesInline')
  },
}
