import {isPlainObject} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

const CONTEXTS = [
  ['build_container_security_context', 'the build container'],
  ['helper_container_security_context', 'the helper container'],
  ['service_container_security_context', 'service containers'],
] as const

export default defineRule({
  id: 'toml-container-privileged',
  target: 'config-toml',
  messages: {
    privileged: '{{context}}.privileged = true makes {{containers}} privileged: they can take over their node.',
  },
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      if (!isPlainObject(value)) return []
      return CONTEXTS.flatMap(([context, containers]) => {
        const securityContext = value[context]
        if (!isPlainObject(securityContext) || securityContext.privileged !== true) return []
        return [{pointer: `${pointer}/${context}/privileged`, messageId: 'privileged' as const, data: {context, containers}}]
      })
    }),
})
