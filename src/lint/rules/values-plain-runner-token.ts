import {isLiteralSecret} from '../../model/secrets.js'
import {defineRule} from '../define-rule.js'

const TOKEN_KEYS = ['runnerToken', 'runnerRegistrationToken'] as const

export default defineRule({
  id: 'values-plain-runner-token',
  target: 'values',
  messages: {
    plainToken: '{{key}} holds a token in plain text: anyone who can read this file can register jobs as this runner.',
  },
  // Judged on what the user wrote: the chart's defaults hold no token.
  check: ({target}) =>
    TOKEN_KEYS.filter((key) => isLiteralSecret(target.user[key])).map((key) => ({
      pointer: `/${key}`,
      messageId: 'plainToken' as const,
      data: {key},
    })),
})
