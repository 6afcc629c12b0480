import {mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-session-server-exposed',
  target: 'values',
  messages: {
    exposed: 'The session server (interactive web terminals into jobs) is exposed through a LoadBalancer without loadBalancerSourceRanges.',
  },
  check: ({target}) => {
    const session = mapAt(target.data, 'sessionServer')
    // The chart's default service type is LoadBalancer.
    if (session.enabled !== true || (session.serviceType ?? 'LoadBalancer') !== 'LoadBalancer') return []
    if (Array.isArray(session.loadBalancerSourceRanges) && session.loadBalancerSourceRanges.length > 0) return []
    return [{pointer: '/sessionServer/enabled', messageId: 'exposed'}]
  },
})
