import {isPlainObject} from '../../model/chart.js'
import {chartKeysBelow, closestChartKey, isChartLeaf, isHelmKey} from '../../model/chart-keys.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'unknown' | 'unknownWithGuess'

export default defineRule({
  id: 'values-unknown-key',
  target: 'values',
  messages: {
    unknown: '{{path}} is not a value of the gitlab-runner chart, so Helm ignores it.',
    unknownWithGuess: '{{path}} is not a value of the gitlab-runner chart, so Helm ignores it. Did you mean {{guess}}?',
  },
  check: ({target}) => {
    const out: Array<Report<MessageId>> = []
    const visit = (value: Record<string, unknown>, path: string[]) => {
      for (const [key, child] of Object.entries(value)) {
        const p = [...path, key]
        const dotted = p.join('.')
        if (path.length === 0 && isHelmKey(key)) continue
        if (isChartLeaf(dotted)) continue
        const parentPath = path.join('.')
        if (chartKeysBelow(parentPath).includes(key)) {
          if (isPlainObject(child) && chartKeysBelow(dotted).length > 0) visit(child, p)
          continue
        }
        const guess = closestChartKey(parentPath, key)
        const parent = path.length ? `${parentPath}.` : ''
        const pointer = encodePointer(p)
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
