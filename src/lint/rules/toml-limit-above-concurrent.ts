import {concurrentOf} from '../../model/runners.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-limit-above-concurrent',
  target: 'config-toml',
  messages: {
    neverReached: '{{name}} has limit = {{limit}} but concurrent = {{concurrent}} caps the whole process, so the limit is never reached.',
  },
  check: ({target, runners}) => {
    const concurrent = concurrentOf(target)
    if (concurrent === undefined || concurrent < 1) return []
    return runners.flatMap(({name, pointer, settings: {limit}}) =>
      typeof limit === 'number' && limit > concurrent
        ? [{pointer: `${pointer}/limit`, messageId: 'neverReached' as const, data: {name, limit, concurrent}}]
        : [],
    )
  },
})
