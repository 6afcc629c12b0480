import {isLiteralSecret} from '../../model/secrets.js'
import {defineRule} from '../define-rule.js'

/** Stand-ins people commit in place of a token: REDACTED, xxxx, ****, TOKEN, <token>. */
const REDACTED = /^(REDACTED|x+|\*+|TOKEN|<.*>)$/i

// Enough names to find the entries; a file with dozens of runners says how many more there are.
const NAMES_SHOWN = 5

function namesOf(names: string[]): string {
  const shown = names.slice(0, NAMES_SHOWN)
  const rest = names.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
}

export default defineRule({
  id: 'toml-token-in-file',
  target: 'config-toml',
  messages: {
    tokenInFile: '{{name}} has its runner token in this file: keep config.toml out of version control or render the token at deploy time.',
    tokensInFile:
      '{{count}} runners ({{names}}) have their runner tokens in this file: keep config.toml out ' +
      'of version control or render the tokens at deploy time.',
  },
  // Once per file, at the first token: the remedy is for the file, and one warning per [[runners]] entry is noise.
  check: ({target, runners}) => {
    // Only a standalone config.toml: toml-secret-in-configmap speaks of chart values and ConfigMaps.
    if (target.values || target.pointerBase) return []
    const holders = runners.filter(({settings}) => isLiteralSecret(settings.token) && !REDACTED.test(String(settings.token)))
    if (holders.length === 0) return []
    const pointer = `${holders[0].pointer}/token`
    if (holders.length === 1) return [{pointer, messageId: 'tokenInFile' as const, data: {name: holders[0].name}}]
    return [{pointer, messageId: 'tokensInFile' as const, data: {count: holders.length, names: namesOf(holders.map((r) => r.name))}}]
  },
})
