import {DEFAULT_POLL_TIMEOUT_SECONDS, podPolling} from '../../model/executor/pod-polling.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-poll-timeout-too-low',
  target: 'config-toml',
  messages: {
    belowDefault:
      'poll_timeout = {{timeout}} is below the default {{defaultTimeout}} seconds: pods that wait ' +
      'for an image pull or a new node fail with "timed out waiting for pod to start".',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const timeout = kubernetes && podPolling(kubernetes).timeout
      if (timeout === undefined || timeout <= 0 || timeout >= DEFAULT_POLL_TIMEOUT_SECONDS) return []
      return [
        {
          pointer: `${pointer}/kubernetes/poll_timeout`,
          messageId: 'belowDefault' as const,
          data: {timeout, defaultTimeout: DEFAULT_POLL_TIMEOUT_SECONDS},
        },
      ]
    }),
})
