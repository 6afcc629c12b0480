import {isPlainObject} from '../../model/chart.js'
import {CHART_KEYS, looksLikeRunnerValues} from '../recognize.js'
import {encodePointer} from '../yaml-source.js'
import {type Wrapper, yamlValuesTargets} from './context.js'

/** Values for the gitlab-runner chart at the top of the document. */
export const chartValues: Wrapper = {
  name: 'chart values',
  match: looksLikeRunnerValues,
  extract: (ctx, data) => ({kind: 'helm-values', targets: yamlValuesTargets(ctx, data, '')}),
}

function umbrellaKey(data: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(data)) {
    // Under a dependency named after the chart, any runner or chart key is enough (GitLab's own chart values).
    const namedAfterChart =
      /gitlab-runner/.test(key) &&
      isPlainObject(value) &&
      value.install !== false &&
      (isPlainObject(value.runners) || CHART_KEYS.some((k) => k in value))
    if (namedAfterChart || looksLikeRunnerValues(value)) return key
  }
  return undefined
}

/** An umbrella chart's values, with the runner chart's values under its dependency key. */
export const umbrellaChartValues: Wrapper = {
  name: 'umbrella chart values',
  match: (data) => umbrellaKey(data) !== undefined,
  extract(ctx, data) {
    const key = umbrellaKey(data)!
    return {kind: 'helm-values', targets: yamlValuesTargets(ctx, data[key] as Record<string, unknown>, encodePointer([key]))}
  },
}
