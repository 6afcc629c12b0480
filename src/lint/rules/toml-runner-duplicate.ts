import {isLiteralSecret} from '../../model/secrets.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'sameToken' | 'sameNameAndUrl'

export default defineRule({
  id: 'toml-runner-duplicate',
  target: 'config-toml',
  messages: {
    sameToken:
      '{{entry}} has the same token as {{first}}: both entries poll as one runner, and when one ' +
      'rotates the token the other is left with a revoked one.',
    sameNameAndUrl:
      '{{entry}} has the same name and url as {{first}}: usually a stale entry left by registering again, polling with an old token.',
  },
  check: ({runners}) => {
    const byToken = new Map<string, string>()
    const byNameAndUrl = new Map<string, string>()
    return runners.flatMap(({pointer, name, index, settings}): Array<Report<MessageId>> => {
      const label = typeof settings.name === 'string' ? `runner "${name}" (entry ${index + 1})` : `runners[${index}]`
      const token = isLiteralSecret(settings.token) ? settings.token.trim() : undefined
      const url = typeof settings.url === 'string' ? settings.url.trim().replace(/\/+$/, '') : undefined
      const nameAndUrl = typeof settings.name === 'string' && url ? `${settings.name}\0${url}` : undefined
      const sameToken = token !== undefined ? byToken.get(token) : undefined
      const sameNameAndUrl = nameAndUrl !== undefined ? byNameAndUrl.get(nameAndUrl) : undefined
      if (token !== undefined && !sameToken) byToken.set(token, label)
      if (nameAndUrl !== undefined && !sameNameAndUrl) byNameAndUrl.set(nameAndUrl, label)
      // One finding per entry: a shared token is the sharper of the two.
      if (sameToken) return [{pointer: `${pointer}/token`, messageId: 'sameToken', data: {entry: label, first: sameToken}}]
      if (sameNameAndUrl) return [{pointer: `${pointer}/name`, messageId: 'sameNameAndUrl', data: {entry: label, first: sameNameAndUrl}}]
      return []
    })
  },
})
