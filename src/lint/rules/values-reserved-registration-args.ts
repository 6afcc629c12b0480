import {isPlainObject, mapAt} from '../../model/chart.js'
import {isPlaceholder, tokenKind} from '../../model/secrets.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'maximumTimeout' | 'envVar'

// Registration options that GitLab refuses with an authentication token: "Runner configuration ... is reserved".
const RESERVED_ENV = [
  'REGISTER_MAXIMUM_TIMEOUT',
  'REGISTER_PAUSED',
  'REGISTER_MAINTENANCE_NOTE',
  'REGISTER_ACCESS_LEVEL',
  'REGISTER_RUN_UNTAGGED',
]

/** A registration token (the deprecated flow) still takes these settings. */
function registersWithRegistrationToken(user: Record<string, unknown>): boolean {
  const registration = user.runnerRegistrationToken
  if (typeof registration === 'string' && registration !== '') return true
  const token = user.runnerToken
  return typeof token === 'string' && token !== '' && !isPlaceholder(token) && tokenKind(token) === 'registration'
}

export default defineRule({
  id: 'values-reserved-registration-args',
  target: 'values',
  messages: {
    maximumTimeout:
      'runners.maximumTimeout is passed to registration, which fails with "Runner configuration ' +
      'other than name and executor configuration is reserved" when the runner uses an authentication ' +
      'token: set the maximum timeout on the runner in GitLab.',
    envVar:
      'envVars {{name}} is a registration setting GitLab refuses with an authentication token ("configuration ' +
      '… is reserved"): set it on the runner in GitLab.',
  },
  check: ({target}) => {
    if (registersWithRegistrationToken(target.user)) return []
    const out: Array<Report<MessageId>> = []
    const timeout = mapAt(target.user, 'runners').maximumTimeout
    if (timeout !== undefined && timeout !== null && timeout !== '')
      out.push({pointer: '/runners/maximumTimeout', messageId: 'maximumTimeout'})
    const env = target.user.envVars
    if (Array.isArray(env)) {
      env.forEach((entry, i) => {
        if (isPlainObject(entry) && typeof entry.name === 'string' && RESERVED_ENV.includes(entry.name))
          out.push({pointer: `/envVars/${i}`, messageId: 'envVar', data: {name: entry.name}})
      })
    }
    return out
  },
})
