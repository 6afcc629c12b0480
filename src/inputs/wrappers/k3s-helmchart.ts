import {mentionsRunnerChart} from '../recognize.js'
import {apiVersionOf, kindOf, pinnedChartVersion, skip, specOf, valuesFromYamlString, type Wrapper} from './context.js'

/** A k3s / RKE2 HelmChart whose `valuesContent` is the values as a YAML string. */
export const k3sHelmChart: Wrapper = {
  name: 'k3s HelmChart',
  match: (data) => kindOf(data) === 'HelmChart' && apiVersionOf(data).startsWith('helm.cattle.io') && specOf(data) !== undefined,
  extract(ctx, data) {
    const spec = specOf(data)!
    if (
      typeof spec.valuesContent === 'string' &&
      (mentionsRunnerChart(spec.chart) || /gitlabUrl|runnerToken|runners:/.test(spec.valuesContent))
    ) {
      const targets = valuesFromYamlString(ctx, '/spec/valuesContent', spec.valuesContent, pinnedChartVersion(ctx, spec.version))
      if (targets.length > 0) return {kind: 'helm-values', targets}
    }
    return skip('k3s HelmChart without gitlab-runner valuesContent')
  },
}
