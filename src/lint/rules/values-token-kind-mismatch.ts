import {isLiteralSecret, tokenKind} from '../../model/secrets.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'values-token-kind-mismatch',
  target: 'values',
  messages: {
    registrationAsRunnerToken:
      'runnerToken holds a registration token (GR1348941…): runnerToken takes a runner authentication token (glrt-…).',
    authenticationAsRegistrationToken:
      'runnerRegistrationToken holds a runner authentication token (glrt-…): set it as runnerToken instead.',
  },
  check: ({target}) => {
    const out: Array<Report<'registrationAsRunnerToken' | 'authenticationAsRegistrationToken'>> = []
    const {runnerToken, runnerRegistrationToken} = target.user
    if (isLiteralSecret(runnerToken) && tokenKind(runnerToken) === 'registration') {
      out.push({pointer: '/runnerToken', messageId: 'registrationAsRunnerToken'})
    }
    if (isLiteralSecret(runnerRegistrationToken) && tokenKind(runnerRegistrationToken) === 'authentication') {
      out.push({pointer: '/runnerRegistrationToken', messageId: 'authenticationAsRegistrationToken'})
    }
    return out
  },
})
