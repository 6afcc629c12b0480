import {isPlainObject} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-hpa-max-replicas-missing',
  target: 'values',
  messages: {
    missing: 'hpa is set without maxReplicas, which the chart defaults to 1: the autoscaler can never add a runner pod.',
  },
  check: ({target}) => {
    const hpa = target.user.hpa
    if (!isPlainObject(hpa) || Object.keys(hpa).length === 0 || hpa.maxReplicas !== undefined) return []
    return [{pointer: '/hpa', messageId: 'missing'}]
  },
})
