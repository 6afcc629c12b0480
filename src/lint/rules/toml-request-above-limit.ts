import {isPlainObject} from '../../model/chart.js'
import {JOB_CONTAINERS} from '../../model/capacity.js'
import {parseQuantity} from '../../model/quantity.js'
import {defineRule} from '../define-rule.js'

const RESOURCES = ['cpu', 'memory', 'ephemeral_storage'] as const

export default defineRule({
  id: 'toml-request-above-limit',
  target: 'config-toml',
  messages: {
    requestAboveLimit:
      'The {{container}} container requests {{request}} {{resource}} but is limited to {{limit}}: Kubernetes rejects the pod.',
  },
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      if (!isPlainObject(value)) return []
      return JOB_CONTAINERS.flatMap(({prefix, name}) =>
        RESOURCES.flatMap((resource) => {
          const requestKey = `${prefix}${resource}_request`
          const limitKey = `${prefix}${resource}_limit`
          const request = parseQuantity(value[requestKey])
          const limit = parseQuantity(value[limitKey])
          if (request === undefined || limit === undefined || request <= limit) return []
          const data = {
            container: name,
            request: String(value[requestKey]),
            resource: resource.replace('_', ' '),
            limit: String(value[limitKey]),
          }
          return [{pointer: `${pointer}/${requestKey}`, messageId: 'requestAboveLimit' as const, data}]
        }),
      )
    }),
})
