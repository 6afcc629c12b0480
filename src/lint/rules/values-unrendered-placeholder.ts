import {unrenderedPlaceholders} from '../../model/secrets.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

// runners.config is checked as TOML by its own target (toml-unrendered-placeholder).
const isRunnersConfig = (path: Array<string | number>) => path.length === 2 && path[0] === 'runners' && path[1] === 'config'

export default defineRule({
  id: 'values-unrendered-placeholder',
  target: 'values',
  messages: {
    unrendered: '{{placeholder}} is an unrendered placeholder; the value is checked after it is substituted.',
  },
  check: ({target}) =>
    unrenderedPlaceholders(target.user, isRunnersConfig).map(({path, placeholder}) => ({
      pointer: encodePointer(path),
      messageId: 'unrendered' as const,
      data: {placeholder},
    })),
})
