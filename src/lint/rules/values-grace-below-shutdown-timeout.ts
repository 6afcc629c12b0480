import {defineRule} from '../define-rule.js'

// The runner waits 30 seconds when shutdown_timeout is unset or 0.
const DEFAULT_SHUTDOWN_TIMEOUT = 30

export default defineRule({
  id: 'values-grace-below-shutdown-timeout',
  target: 'values',
  messages: {
    tooShort:
      "terminationGracePeriodSeconds: {{grace}} is shorter than the runner's shutdown_timeout of " +
      '{{shutdown}} seconds: Kubernetes kills the manager before it has aborted its jobs, leaving job pods behind.',
  },
  check: ({target}) => {
    const grace = target.data.terminationGracePeriodSeconds
    const timeout = target.data.shutdown_timeout
    const shutdown = typeof timeout === 'number' && timeout > 0 ? timeout : DEFAULT_SHUTDOWN_TIMEOUT
    if (typeof grace !== 'number' || grace >= shutdown) return []
    return [{pointer: '/terminationGracePeriodSeconds', messageId: 'tooShort', data: {grace, shutdown}}]
  },
})
