import {parseQuantity} from '../../model/quantity.js'
import {defineRule} from '../define-rule.js'

const MAX_SUFFIX = '_overwrite_max_allowed'

export default defineRule({
  id: 'toml-overwrite-max-below-default',
  target: 'config-toml',
  messages: {
    belowDefault:
      '{{key}} = "{{max}}" is below {{baseKey}} = "{{base}}": a job that asks for the configured ' +
      'default through KUBERNETES_{{variable}} is rejected.',
  },
  // cpu_limit_overwrite_max_allowed caps what KUBERNETES_CPU_LIMIT may ask for; the runner never compares it with cpu_limit.
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      Object.keys(kubernetes ?? {})
        .filter((key) => key.endsWith(MAX_SUFFIX))
        .flatMap((key) => {
          const baseKey = key.slice(0, -MAX_SUFFIX.length)
          const max = kubernetes?.[key]
          const base = kubernetes?.[baseKey]
          if (typeof max !== 'string' || typeof base !== 'string') return []
          const maxQuantity = parseQuantity(max)
          const baseQuantity = parseQuantity(base)
          if (maxQuantity === undefined || baseQuantity === undefined || maxQuantity >= baseQuantity) return []
          return [
            {
              pointer: `${pointer}/kubernetes/${key}`,
              messageId: 'belowDefault' as const,
              data: {key, max, baseKey, base, variable: baseKey.toUpperCase()},
            },
          ]
        }),
    ),
})
