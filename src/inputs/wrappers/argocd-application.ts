import {isPlainObject} from '../../model/chart.js'
import {looksLikeRunnerValues, mentionsRunnerChart, nonEmptyList} from '../recognize.js'
import type {LintTarget, ValuesTarget} from '../targets.js'
import {completedElsewhere} from '../values-target.js'
import {apiVersionOf, kindOf, pinnedChartVersion, skip, specOf, valuesFromYamlString, type Wrapper, yamlValuesTargets} from './context.js'

/** An Argo CD Application whose Helm source carries `values` (a string or an object) or `valuesObject`. */
export const argoCdApplication: Wrapper = {
  name: 'Argo CD Application',
  match: (data) => kindOf(data) === 'Application' && apiVersionOf(data).startsWith('argoproj.io') && specOf(data) !== undefined,
  extract(ctx, data) {
    const spec = specOf(data)!
    const sources: Array<[string, unknown]> = []
    if (spec.source !== undefined) sources.push(['/spec/source', spec.source])
    if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([`/spec/sources/${i}`, s]))
    const targets: LintTarget[] = []
    for (const [pointer, source] of sources) {
      if (!isPlainObject(source) || !isPlainObject(source.helm)) continue
      const isRunner = mentionsRunnerChart(source.chart, source.path, source.repoURL)
      const {values, valuesObject} = source.helm
      const version = source.chart ? pinnedChartVersion(ctx, source.targetRevision) : undefined
      const completedBy = nonEmptyList(source.helm.valueFiles) ? 'helm.valueFiles' : undefined
      if (isPlainObject(valuesObject) && (isRunner || looksLikeRunnerValues(valuesObject))) {
        targets.push(...completedElsewhere(yamlValuesTargets(ctx, valuesObject, `${pointer}/helm/valuesObject`, version), completedBy))
      }
      if (typeof values === 'string') {
        const found = valuesFromYamlString(ctx, `${pointer}/helm/values`, values, version)
        if (isRunner || (found[0] && looksLikeRunnerValues((found[0] as ValuesTarget).user)))
          targets.push(...completedElsewhere(found, completedBy))
      } else if (isPlainObject(values) && (isRunner || looksLikeRunnerValues(values))) {
        targets.push(...completedElsewhere(yamlValuesTargets(ctx, values, `${pointer}/helm/values`, version), completedBy))
      }
    }
    return targets.length > 0 ? {kind: 'argocd-application', targets} : skip('Argo CD Application without gitlab-runner Helm values')
  },
}
