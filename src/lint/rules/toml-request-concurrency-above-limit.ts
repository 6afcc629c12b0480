import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-request-concurrency-above-limit',
  target: 'config-toml',
  messages: {
    aboveLimit:
      '{{name}} has request_concurrency = {{requestConcurrency}} above limit = {{limit}}: the extra requests can never become jobs.',
  },
  check: ({runners}) =>
    runners.flatMap(({name, pointer, settings: {limit, request_concurrency: requestConcurrency}}) =>
      typeof limit === 'number' && limit > 0 && typeof requestConcurrency === 'number' && requestConcurrency > limit
        ? [{pointer: `${pointer}/request_concurrency`, messageId: 'aboveLimit' as const, data: {name, limit, requestConcurrency}}]
        : [],
    ),
})
