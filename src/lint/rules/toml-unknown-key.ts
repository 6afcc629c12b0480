import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-unknown-key',
  target: 'config-toml',
  messages: {
    unknown: '{{key}} is not a {{where}} setting, so GitLab Runner ignores it.',
    unknownWithGuess: '{{key}} is not a {{where}} setting, so GitLab Runner ignores it. Did you mean {{guess}}?',
  },
  check: ({target}) =>
    configKeyIssues(target, 'unknown-key').map(({pointer, key, where, guess}): Report<'unknown' | 'unknownWithGuess'> =>
      guess ? {pointer, messageId: 'unknownWithGuess', data: {key, where, guess}} : {pointer, messageId: 'unknown', data: {key, where}},
    ),
})
