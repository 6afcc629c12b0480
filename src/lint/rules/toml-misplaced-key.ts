import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-misplaced-key',
  target: 'config-toml',
  messages: {
    misplaced: '{{key}} does nothing in {{where}}: it belongs in {{table}}.',
    misplacedAs: '{{key}} does nothing in {{where}}: it belongs in {{table}} as {{name}}.',
    global: '{{key}} does nothing in {{where}}: it belongs in the global section (above any [[runners]]).',
    globalAs: '{{key}} does nothing in {{where}}: it belongs in the global section (above any [[runners]]) as {{name}}.',
  },
  check: ({target}) =>
    configKeyIssues(target, 'misplaced').map(({pointer, key, where, belongsIn, as}) => {
      const global = belongsIn === ''
      const data = {key, where, ...(global ? {} : {table: belongsIn}), ...(as === undefined ? {} : {name: as})}
      return {
        pointer,
        messageId: global ? (as === undefined ? 'global' : 'globalAs') : as === undefined ? 'misplaced' : 'misplacedAs',
        data,
      }
    }),
})
