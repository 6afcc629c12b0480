import {isTemplatePlaceholder} from '../../model/placeholders.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'notNameValue' | 'spacedName'

export default defineRule({
  id: 'toml-environment-entry-malformed',
  target: 'config-toml',
  messages: {
    // The entry itself is not shown: a value pasted without its name may be a credential.
    notNameValue: 'environment entry {{position}} of {{name}} is not NAME=value: the runner ignores it.',
    spacedName:
      'environment entry {{position}} of {{name}} has spaces around the variable name: the runner keeps ' +
      'them, so jobs get no {{variable}} variable.',
  },
  check: ({runners}) =>
    runners.flatMap(({settings, name, pointer}) => {
      const raw = settings.environment
      if (!Array.isArray(raw)) return []
      return raw.flatMap((entry, i): Array<Report<MessageId>> => {
        if (typeof entry !== 'string' || isTemplatePlaceholder(entry)) return []
        const at = `${pointer}/environment/${i}`
        // The runner splits at the first `=` and keeps both sides as written (see environmentMap).
        const variable = entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : undefined
        if (variable === undefined || !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(variable))
          return [{pointer: at, messageId: 'notNameValue', data: {position: i + 1, name}}]
        if (variable !== variable.trim())
          return [{pointer: at, messageId: 'spacedName', data: {position: i + 1, name, variable: variable.trim()}}]
        return []
      })
    }),
})
