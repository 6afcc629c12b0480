import {mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-session-server-with-replicas',
  target: 'values',
  messages: {
    notRendered:
      'sessionServer.enabled with replicas: {{replicas}}: the chart renders the session server only ' +
      'for a single replica, so interactive web terminals are off.',
  },
  check: ({target}) => {
    const replicas = target.user.replicas
    if (mapAt(target.data, 'sessionServer').enabled !== true || replicas === undefined || replicas === 1) return []
    return [{pointer: '/replicas', messageId: 'notRendered', data: {replicas: String(replicas)}}]
  },
})
