import {stringList} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-pull-policy-if-not-present',
  target: 'config-toml',
  messages: {
    cached:
      'pull_policy "{{policy}}" lets a job use a private image another project already pulled onto the ' +
      "node, without that image's credentials.",
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}) => {
      const policy = stringList(kubernetes?.pull_policy).find((p) => p === 'if-not-present' || p === 'never')
      return policy ? [{pointer: `${pointer}/kubernetes/pull_policy`, messageId: 'cached' as const, data: {policy}}] : []
    }),
})
