import {isRunnerPullPolicy, meantPullPolicy} from '../../model/executor/pull-policy.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'meant' | 'unknown'

/** pull_policy and allowed_pull_policies take one runner pull policy name or a list of them. */
export default defineRule({
  id: 'toml-pull-policy-invalid',
  target: 'config-toml',
  messages: {
    meant: '{{key}} "{{policy}}" is not a runner pull policy: every job fails with "unsupported pull policy". Write "{{meant}}".',
    unknown:
      '{{key}} "{{policy}}" is not a runner pull policy: every job fails with "unsupported pull policy". ' +
      'Use always, never or if-not-present.',
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}) =>
      (['pull_policy', 'allowed_pull_policies'] as const).flatMap((key): Array<Report<MessageId>> => {
        const raw = kubernetes?.[key]
        const entries = Array.isArray(raw)
          ? raw.map((policy, i) => ({policy, at: `${pointer}/kubernetes/${key}/${i}`}))
          : [{policy: raw, at: `${pointer}/kubernetes/${key}`}]
        return entries.flatMap(({policy, at}): Array<Report<MessageId>> => {
          if (!isLiteral(policy) || policy === '' || isRunnerPullPolicy(policy)) return []
          const meant = meantPullPolicy(policy)
          return [
            meant
              ? {pointer: at, messageId: 'meant', data: {key, policy, meant}}
              : {pointer: at, messageId: 'unknown', data: {key, policy}},
          ]
        })
      }),
    ),
})
