import {isLiteralSecret} from '../../model/secrets.js'
import {defineRule} from '../define-rule.js'

/** Stand-ins people commit in place of a token: REDACTED, xxxx, ****, TOKEN, <token>. */
const REDACTED = /^(REDACTED|x+|\*+|TOKEN|<.*>)$/i

export default defineRule({
  id: 'toml-token-in-file',
  target: 'config-toml',
  messages: {
    tokenInFile: '{{name}} has its runner token in this file: keep config.toml out of version control or render the token at deploy time.',
  },
  check: ({target, runners}) => {
    // Only a standalone config.toml: toml-secret-in-configmap speaks of chart values and ConfigMaps.
    if (target.values || target.pointerBase) return []
    return runners
      .filter(({settings}) => isLiteralSecret(settings.token) && !REDACTED.test(String(settings.token)))
      .map(({pointer, name}) => ({pointer: `${pointer}/token`, messageId: 'tokenInFile' as const, data: {name}}))
  },
})
