import {goRegexProblem, OVERWRITE_REGEX_KEYS} from '../../model/executor/overwrite-regexes.js'
import {isLiteralRegex} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-overwrite-regex-invalid',
  target: 'config-toml',
  messages: {
    notGoRegex: '{{key}} = "{{regex}}" is not a valid Go regular expression: {{problem}}, so every job that uses the overwrite fails.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      OVERWRITE_REGEX_KEYS.flatMap((key) => {
        const regex = kubernetes?.[key]
        if (!isLiteralRegex(regex) || regex === '') return []
        const problem = goRegexProblem(regex)
        return problem ? [{pointer: `${pointer}/kubernetes/${key}`, messageId: 'notGoRegex' as const, data: {key, regex, problem}}] : []
      }),
    ),
})
