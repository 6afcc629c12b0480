import {unrenderedPlaceholders} from '../../model/secrets.js'
import {unfilledValues} from '../../model/unfilled-values.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

// runners.config is checked as TOML by its own target (toml-unrendered-placeholder).
const isRunnersConfig = (path: Array<string | number>) => path.length === 2 && path[0] === 'runners' && path[1] === 'config'

// Keys with a placeholder rule of their own: values-gitlab-url-placeholder and the token rules.
const OWN_RULE_KEYS = new Set(['gitlabUrl', 'runnerToken', 'runnerRegistrationToken'])
const hasOwnRule = (path: Array<string | number>) => path.length === 1 && OWN_RULE_KEYS.has(String(path[0]))

export default defineRule({
  id: 'values-unrendered-placeholder',
  target: 'values',
  messages: {
    unrendered: '{{placeholder}} is an unrendered placeholder; the value is checked after it is substituted.',
    unfilled: '{{setting}}: "{{placeholder}}" is a placeholder: fill it in before deploying; the value is checked once it is real.',
  },
  check: ({target}) => [
    ...unrenderedPlaceholders(target.user, isRunnersConfig).map(({path, placeholder}) => ({
      pointer: encodePointer(path),
      messageId: 'unrendered' as const,
      data: {placeholder},
    })),
    ...unfilledValues(target.user, (path) => isRunnersConfig(path) || hasOwnRule(path)).map(({path, value}) => ({
      pointer: encodePointer(path),
      messageId: 'unfilled' as const,
      data: {setting: path.join('.'), placeholder: value},
    })),
  ],
})
