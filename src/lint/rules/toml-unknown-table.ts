import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-unknown-table',
  target: 'config-toml',
  messages: {
    unknown: '{{table}} is not a table GitLab Runner reads, so everything in it is ignored.',
    unknownWithGuess: '{{table}} is not a table GitLab Runner reads, so everything in it is ignored. Did you mean {{guess}}?',
  },
  check: ({target}) =>
    configKeyIssues(target, 'unknown-table').map(({pointer, table, guess}): Report<'unknown' | 'unknownWithGuess'> =>
      guess ? {pointer, messageId: 'unknownWithGuess', data: {table, guess}} : {pointer, messageId: 'unknown', data: {table}},
    ),
})
