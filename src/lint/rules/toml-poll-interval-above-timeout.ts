import {DEFAULT_POLL_TIMEOUT_SECONDS, podPolling} from '../../model/executor/pod-polling.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-poll-interval-above-timeout',
  target: 'config-toml',
  messages: {
    singleCheck: 'poll_interval = {{interval}} is longer than poll_timeout = {{timeout}}: the runner checks the pod once and gives up.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      if (!kubernetes) return []
      const {interval, timeout = DEFAULT_POLL_TIMEOUT_SECONDS} = podPolling(kubernetes)
      if (interval === undefined || interval <= 0 || interval <= timeout) return []
      return [{pointer: `${pointer}/kubernetes/poll_interval`, messageId: 'singleCheck' as const, data: {interval, timeout}}]
    }),
})
