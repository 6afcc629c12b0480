import {isPlainObject} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-unregister-lifecycle-conflict',
  target: 'values',
  messages: {
    hookReplaced:
      'deploymentLifecycle replaces the preStop hook that unregisterRunners adds, so runners are not unregistered when the pod stops.',
  },
  check: ({target}) => {
    if (target.data.unregisterRunners === false) return []
    const lifecycle = target.user.deploymentLifecycle
    if (!isPlainObject(lifecycle) || Object.keys(lifecycle).length === 0) return []
    // A lifecycle that runs `unregister` itself keeps what the chart's hook did.
    if (JSON.stringify(lifecycle).includes('unregister')) return []
    return [{pointer: '/deploymentLifecycle', messageId: 'hookReplaced'}]
  },
})
