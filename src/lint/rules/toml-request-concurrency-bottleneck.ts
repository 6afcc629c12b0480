import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-request-concurrency-bottleneck',
  target: 'config-toml',
  messages: {
    bottleneck:
      '{{name}} has limit = {{limit}} and request_concurrency = 1: it asks GitLab for one job at ' +
      'a time and long polling stalls job pickup.',
  },
  check: ({runners}) =>
    runners.flatMap((runner) => {
      const requestConcurrency = runner.settings.request_concurrency
      const limit = runner.settings.limit
      // The runner treats request_concurrency below 1 as 1, its default.
      const effective = typeof requestConcurrency === 'number' ? Math.max(1, requestConcurrency) : 1
      if (effective !== 1 || typeof limit !== 'number' || limit <= 0 || limit > 2) return []
      const pointer = requestConcurrency === undefined ? runner.pointer : `${runner.pointer}/request_concurrency`
      return [{pointer, messageId: 'bottleneck' as const, data: {name: runner.name, limit}}]
    }),
})
