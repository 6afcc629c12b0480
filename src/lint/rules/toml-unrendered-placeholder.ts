import {unrenderedPlaceholders} from '../../model/secrets.js'
import {unfilledValues} from '../../model/unfilled-values.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

// A runner's url has its own placeholder rule (toml-url-placeholder).
const isRunnerUrl = (path: Array<string | number>) => path.length === 3 && path[0] === 'runners' && path[2] === 'url'

/** `cpu_limit`, `allowed_pull_policies[0]`: the key as written in its table, with the index of a list entry. */
function settingName(path: Array<string | number>): string {
  const keyAt = path.findLastIndex((part) => typeof part === 'string')
  return `${String(path[keyAt])}${path.slice(keyAt + 1).map((i) => `[${i}]`).join('')}`
}

export default defineRule({
  id: 'toml-unrendered-placeholder',
  target: 'config-toml',
  messages: {
    unrendered: '{{placeholder}} is an unrendered placeholder; the value is checked after it is substituted.',
    unfilled: '{{setting}} = "{{placeholder}}" is a placeholder: fill it in before deploying; the value is checked once it is real.',
  },
  check: ({target}) => [
    ...unrenderedPlaceholders(target.data).map(({path, placeholder}) => ({
      pointer: encodePointer(path),
      messageId: 'unrendered' as const,
      data: {placeholder},
    })),
    ...unfilledValues(target.data, isRunnerUrl).map(({path, value}) => ({
      pointer: encodePointer(path),
      messageId: 'unfilled' as const,
      data: {setting: settingName(path), placeholder: value},
    })),
  ],
})
