import {unrenderedPlaceholders} from '../../model/secrets.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-unrendered-placeholder',
  target: 'config-toml',
  messages: {
    unrendered: '{{placeholder}} is an unrendered placeholder; the value is checked after it is substituted.',
  },
  check: ({target}) =>
    unrenderedPlaceholders(target.data).map(({path, placeholder}) => ({
      pointer: encodePointer(path),
      messageId: 'unrendered' as const,
      data: {placeholder},
    })),
})
