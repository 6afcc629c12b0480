import {isPlainObject} from '../../model/chart.js'
import {JOB_CONTAINERS} from '../../model/capacity.js'
import {defineRule} from '../define-rule.js'

const isSet = (value: unknown) => value !== undefined && value !== ''

export default defineRule({
  id: 'toml-missing-resources',
  target: 'config-toml',
  messages: {
    missing: 'The {{container}} container has no {{missing}}: job pods can starve their node or be evicted first.',
  },
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      if (!isPlainObject(value)) return []
      return JOB_CONTAINERS.flatMap(({prefix, name}) => {
        const keys = ['cpu', 'memory'].flatMap((r) => [`${prefix}${r}_request`, `${prefix}${r}_limit`])
        const missing = keys.filter((key) => !isSet(value[key]))
        return missing.length === 0 ? [] : [{pointer, messageId: 'missing' as const, data: {container: name, missing: missing.join(', ')}}]
      })
    }),
})
