import {isPlainObject} from '../../model/chart.js'
import {isPlaceholderValue} from '../../model/placeholders.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'otherCase' | 'unknownEffect'

// The empty effect tolerates every effect of the taint.
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']

export default defineRule({
  id: 'toml-toleration-effect-invalid',
  target: 'config-toml',
  messages: {
    otherCase: 'Toleration "{{toleration}}" has effect "{{effect}}", which Kubernetes rejects. Write "{{meant}}".',
    unknownEffect:
      'Toleration "{{toleration}}" has effect "{{effect}}", which Kubernetes rejects. Use NoSchedule, PreferNoSchedule, NoExecute or "".',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const tolerations = isPlainObject(kubernetes?.node_tolerations) ? kubernetes.node_tolerations : {}
      return Object.entries(tolerations).flatMap(([toleration, effect]): Array<Report<MessageId>> => {
        // A placeholder (`<EFFECT>`, `${EFFECT}`) is filled in before deploying: toml-unrendered-placeholder names it.
        if (typeof effect !== 'string' || TAINT_EFFECTS.includes(effect) || isPlaceholderValue(effect)) return []
        const at = `${pointer}/kubernetes/node_tolerations${encodePointer([toleration])}`
        const meant = TAINT_EFFECTS.find((known) => known && known.toLowerCase() === effect.toLowerCase())
        return [
          meant
            ? {pointer: at, messageId: 'otherCase', data: {toleration, effect, meant}}
            : {pointer: at, messageId: 'unknownEffect', data: {toleration, effect}},
        ]
      })
    }),
})
