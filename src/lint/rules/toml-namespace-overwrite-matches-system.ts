import {PROTECTED_NAMESPACES} from '../../model/executor/namespaces.js'
import {goRegexAsJavaScript} from '../../model/executor/overwrite-regexes.js'
import {isLiteralRegex} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-namespace-overwrite-matches-system',
  target: 'config-toml',
  messages: {
    matchesSystem:
      'namespace_overwrite_allowed = "{{regex}}" lets a job set KUBERNETES_NAMESPACE_OVERWRITE to {{namespaces}} and run there.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const regex = kubernetes?.namespace_overwrite_allowed
      if (!isLiteralRegex(regex) || regex === '') return []
      const compiled = goRegexAsJavaScript(regex)
      const reachable = compiled ? PROTECTED_NAMESPACES.filter((namespace) => compiled.test(namespace)) : []
      if (reachable.length === 0) return []
      return [
        {
          pointer: `${pointer}/kubernetes/namespace_overwrite_allowed`,
          messageId: 'matchesSystem' as const,
          data: {regex, namespaces: reachable.join(', ')},
        },
      ]
    }),
})
