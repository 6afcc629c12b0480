import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-key-newer-than-runner',
  target: 'config-toml',
  messages: {
    newer: '{{key}} in {{where}} needs GitLab Runner {{since}} or later; runner {{runnerVersion}} ignores it.',
  },
  check: ({target}) =>
    configKeyIssues(target, 'newer').map(({pointer, key, where, since, runnerVersion}) => ({
      pointer,
      messageId: 'newer',
      data: {key, where, since, runnerVersion},
    })),
})
