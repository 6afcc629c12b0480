import {featureFlagHistory, featureFlagSettings, flagObsolescence, setsDefault} from '../../model/feature-flag-history.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'removed' | 'removedFromRelease' | 'deprecated'

export default defineRule({
  id: 'toml-feature-flag-obsolete',
  target: 'config-toml',
  messages: {
    removed: '{{name}} was removed in runner {{release}}, so this runner ignores it{{lost}}.',
    removedFromRelease: '{{name}} was removed in runner {{release}}: from that release on the runner ignores it{{lost}}.',
    deprecated: '{{name}} is deprecated since runner {{release}}{{removal}}.',
  },
  check: ({runners, target}) =>
    runners.flatMap((runner) =>
      featureFlagSettings(runner).flatMap(({name, value, pointer}): Array<Report<MessageId>> => {
        const flag = featureFlagHistory(name)
        const status = flagObsolescence(name, target.runnerVersion)
        if (!flag || !status) return []
        if (status.kind === 'deprecated') {
          return [
            {
              pointer,
              messageId: 'deprecated',
              data: {name, release: status.since, removal: status.removal ? ` and goes away in ${status.removal}` : ''},
            },
          ]
        }
        // Asking for what the flag did by default loses nothing; asking for the other behaviour is a choice now ignored.
        const lostChoice = setsDefault({name, value, pointer}, flag) === false
        const lost = lostChoice ? ` and the behaviour ${name}=${String(value)} asked for is gone` : ''
        const known = status.runnerKnown
        return [
          {
            pointer,
            messageId: known ? 'removed' : 'removedFromRelease',
            data: {name, release: status.in, lost},
            ...(known && lostChoice ? {severity: 'warning' as const} : {}),
          },
        ]
      }),
    ),
})
