import {isPlainObject} from '../../model/chart.js'
import {looksLikeRunnerValues, mentionsRunnerChart} from '../recognize.js'
import type {LintTarget} from '../targets.js'
import {completedElsewhere} from '../values-target.js'
import {pinnedChartVersion, skip, type Wrapper, yamlValuesTargets} from './context.js'

/** A helmfile whose releases carry inline value maps. */
export const helmfile: Wrapper = {
  name: 'helmfile',
  match: (data) => Array.isArray(data.releases),
  extract(ctx, data) {
    const targets: LintTarget[] = []
    ;(data.releases as unknown[]).forEach((release, i) => {
      if (!isPlainObject(release) || !Array.isArray(release.values)) return
      // Each entry of a value list (inline maps and files) is merged with the others by helmfile.
      const completedBy = release.values.length > 1 ? `releases[${i}].values` : undefined
      release.values.forEach((entry, j) => {
        if (!isPlainObject(entry)) return
        if (mentionsRunnerChart(release.chart, release.name) || looksLikeRunnerValues(entry)) {
          targets.push(
            ...completedElsewhere(
              yamlValuesTargets(ctx, entry, `/releases/${i}/values/${j}`, pinnedChartVersion(ctx, release.version)),
              completedBy,
            ),
          )
        }
      })
    })
    return targets.length > 0 ? {kind: 'helmfile', targets} : skip('helmfile without inline gitlab-runner values')
  },
}
