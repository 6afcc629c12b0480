import {mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-service-monitor-inert',
  target: 'values',
  messages: {
    notRendered: 'metrics.serviceMonitor.enabled without {{missing}}: the chart renders no ServiceMonitor and nothing is scraped.',
  },
  check: ({target}) => {
    const metrics = mapAt(target.data, 'metrics')
    const service = mapAt(target.data, 'service')
    if (mapAt(metrics, 'serviceMonitor').enabled !== true || (metrics.enabled === true && service.enabled === true)) return []
    const missing = [metrics.enabled !== true && 'metrics.enabled', service.enabled !== true && 'service.enabled']
      .filter(Boolean)
      .join(' and ')
    return [{pointer: '/metrics/serviceMonitor/enabled', messageId: 'notRendered', data: {missing}}]
  },
})
