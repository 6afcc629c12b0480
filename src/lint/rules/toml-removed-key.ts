import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-removed-key',
  target: 'config-toml',
  messages: {
    removed: '{{key}} in {{where}} was removed in GitLab Runner {{removedIn}} and runners from {{removedIn}} ignore it.',
    removedUseInstead:
      '{{key}} in {{where}} was removed in GitLab Runner {{removedIn}} and runners from {{removedIn}} ignore it; use {{replacement}}.',
    ignoredByRunner: '{{key}} in {{where}} was removed in GitLab Runner {{removedIn}} and runner {{runnerVersion}} ignores it.',
    ignoredByRunnerUseInstead:
      '{{key}} in {{where}} was removed in GitLab Runner {{removedIn}} and runner {{runnerVersion}} ignores it; use {{replacement}}.',
  },
  check: ({target}) =>
    configKeyIssues(target, 'removed').map(({pointer, key, where, removedIn, runnerVersion, replacement}) => {
      const data = {
        key,
        where,
        removedIn,
        ...(runnerVersion === undefined ? {} : {runnerVersion}),
        ...(replacement === undefined ? {} : {replacement}),
      }
      const ignored = runnerVersion === undefined ? 'removed' : 'ignoredByRunner'
      return {pointer, messageId: replacement === undefined ? ignored : (`${ignored}UseInstead` as const), data}
    }),
})
