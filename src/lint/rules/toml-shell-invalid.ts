import {isPlaceholderValue} from '../../model/placeholders.js'
import {defineRule} from '../define-rule.js'

// The enum of the runner's configuration schema; '' leaves the executor's default.
const SHELLS = new Set(['bash', 'sh', 'cmd', 'pwsh', 'powershell', ''])

export default defineRule({
  id: 'toml-shell-invalid',
  target: 'config-toml',
  messages: {
    invalid: 'shell = "{{value}}" is not a shell the runner supports.',
  },
  // A placeholder (`<SHELL>`, `${SHELL}`) is filled in before deploying: toml-unrendered-placeholder names it.
  check: ({given}) =>
    given
      .filter(({value}) => !(typeof value === 'string' && (SHELLS.has(value) || isPlaceholderValue(value))))
      .map(({pointer}) => ({pointer, messageId: 'invalid' as const})),
})
