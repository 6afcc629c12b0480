import {effectivePullPolicies, isRunnerPullPolicy} from '../../model/executor/pull-policy.js'
import {stringList} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-pull-policy-not-allowed',
  target: 'config-toml',
  messages: {
    notAllowed: 'pull_policy {{policies}} is not in allowed_pull_policies ({{allowed}}): jobs that do not set their own pull policy fail.',
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}) => {
      // Unknown names are toml-pull-policy-invalid's finding; this rule judges the known ones.
      const policies = stringList(kubernetes?.pull_policy).filter(isRunnerPullPolicy)
      const allowed = stringList(kubernetes?.allowed_pull_policies).filter(isRunnerPullPolicy)
      if (policies.length === 0 || allowed.length === 0 || effectivePullPolicies(policies, allowed)) return []
      return [
        {
          pointer: `${pointer}/kubernetes/pull_policy`,
          messageId: 'notAllowed' as const,
          data: {policies: policies.join(', '), allowed: allowed.join(', ')},
        },
      ]
    }),
})
