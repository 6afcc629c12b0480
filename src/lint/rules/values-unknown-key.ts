import {misplacedConfigToml} from '../../inputs/recognize.js'
import {compareVersions, describeChartVersion, isPlainObject, NEWEST_CHART_VERSION} from '../../model/chart.js'
import {chartKeysBelow, closestChartKey, isChartLeaf, isHelmKey} from '../../model/chart-keys.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'unknown' | 'unknownWithGuess' | 'unknownNewerChart' | 'unknownNewerChartWithGuess'

export default defineRule({
  id: 'values-unknown-key',
  target: 'values',
  messages: {
    unknown: '{{path}} is not a value of the gitlab-runner chart, so Helm ignores it.',
    unknownWithGuess: '{{path}} is not a value of the gitlab-runner chart, so Helm ignores it. Did you mean {{guess}}?',
    unknownNewerChart:
      '{{path}} is not a value of the gitlab-runner chart up to {{newest}}, the newest runner-doctor ' +
      'knows; chart {{chartVersion}} may read it, check its values.yaml.',
    unknownNewerChartWithGuess:
      '{{path}} is not a value of the gitlab-runner chart up to {{newest}}, the newest runner-doctor ' +
      'knows; chart {{chartVersion}} may read it. Did you mean {{guess}}?',
  },
  check: ({target}) => {
    const out: Array<Report<MessageId>> = []
    // On a chart newer than the data a key may be new rather than wrong: say so, at warning level.
    const newerChart = compareVersions(target.chartVersion, NEWEST_CHART_VERSION) > 0
    const visit = (value: Record<string, unknown>, path: string[]) => {
      for (const [key, child] of Object.entries(value)) {
        const p = [...path, key]
        const dotted = p.join('.')
        if (path.length === 0 && isHelmKey(key)) continue
        // A whole config.toml under `config:` is named by values-config-misplaced, which says where it belongs.
        if (path.length === 0 && key === 'config' && misplacedConfigToml(target.user) !== undefined) continue
        if (isChartLeaf(dotted)) continue
        const parentPath = path.join('.')
        if (chartKeysBelow(parentPath).includes(key)) {
          if (isPlainObject(child) && chartKeysBelow(dotted).length > 0) visit(child, p)
          continue
        }
        const parent = path.length ? `${parentPath}.` : ''
        const pointer = encodePointer(p)
        const guess = closestChartKey(parentPath, key)
        if (newerChart) {
          const data = {
            path: parent + key,
            newest: NEWEST_CHART_VERSION,
            chartVersion: describeChartVersion(target.chartVersion, target.user),
          }
          out.push(
            guess
              ? {pointer, messageId: 'unknownNewerChartWithGuess', severity: 'warning', data: {...data, guess: parent + guess}}
              : {pointer, messageId: 'unknownNewerChart', severity: 'warning', data},
          )
          continue
        }
        out.push(
          guess
            ? {pointer, messageId: 'unknownWithGuess', data: {path: parent + key, guess: parent + guess}}
            : {pointer, messageId: 'unknown', data: {path: parent + key}},
        )
      }
    }
    visit(target.user, [])
    return out
  },
})
