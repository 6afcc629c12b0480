import {misplacedConfigToml} from '../../inputs/recognize.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-config-misplaced',
  target: 'values',
  messages: {
    misplaced:
      'config holds a whole config.toml, but the chart reads runner configuration only from runners.config: ' +
      'Helm ignores this key and the runner starts with the default configuration. Move it under runners.config.',
  },
  check: ({target}) => (misplacedConfigToml(target.user) === undefined ? [] : [{pointer: '/config', messageId: 'misplaced'}]),
})
