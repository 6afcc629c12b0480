import {isPlainObject} from '../../model/chart.js'
import {isPlaceholderValue, isTemplatePlaceholder} from '../../model/placeholders.js'
import {parseQuantity, QUANTITY_KEY} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'notQuantity' | 'notQuantityDidYouMean' | 'notString'

/** `1GB` and `2 Gi` are the usual slips for Kubernetes' `1Gi` and `2Gi`. */
function binarySuffixFor(raw: string): string | undefined {
  if (!/^\d+(\.\d+)?\s*[KMGTPE]i?B$/i.test(raw)) return undefined
  return raw.replace(/\s*B$/i, '').replace(/([KMGTPE])$/i, (unit) => `${unit.toUpperCase()}i`)
}

function problem(pointer: string, key: string, raw: unknown): Report<MessageId> | undefined {
  if (raw === '' || isTemplatePlaceholder(raw)) return undefined
  if (typeof raw !== 'string') return {pointer, messageId: 'notString', data: {key, written: JSON.stringify(raw) ?? String(raw)}}
  // `$VAR` and `${VAR}` are filled in at deploy or job time.
  if (raw.includes('$') || parseQuantity(raw) !== undefined) return undefined
  // `<CPU>`, `CHANGEME`, `xxxx`: a value still to be filled in, reported at info by toml-unrendered-placeholder.
  if (isPlaceholderValue(raw)) return undefined
  const suggestion = binarySuffixFor(raw)
  return suggestion
    ? {pointer, messageId: 'notQuantityDidYouMean', data: {key, raw, suggestion}}
    : {pointer, messageId: 'notQuantity', data: {key, raw}}
}

export default defineRule({
  id: 'toml-invalid-quantity',
  target: 'config-toml',
  messages: {
    notQuantity: '{{key}} = "{{raw}}" is not a Kubernetes quantity; the job fails when its pod is built.',
    notQuantityDidYouMean:
      '{{key}} = "{{raw}}" is not a Kubernetes quantity (did you mean "{{suggestion}}"?); the job fails when its pod is built.',
    notString: '{{key}} = {{written}} must be a quoted string such as "500m" or "1Gi"; the job fails when its pod is built.',
  },
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      if (!isPlainObject(value)) return []
      return Object.entries(value).flatMap(([key, raw]) => {
        if (!QUANTITY_KEY.test(key)) return []
        const found = problem(`${pointer}/${key}`, key, raw)
        return found ? [found] : []
      })
    }),
})
