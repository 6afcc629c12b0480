import {isPodSecurityLevel, podSecurityViolations} from '../../model/cluster/pod-security.js'
import {runnersInCluster, unreadable} from '../../model/cluster/runner-in-cluster.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'rejected' | 'unreadable'

export default defineRule({
  id: 'cluster-podsecurity',
  target: 'config-toml',
  messages: {
    rejected:
      'Namespace {{namespace}} enforces Pod Security "{{level}}" (pod-security.kubernetes.io/enforce): ' +
      'every job pod of this runner is rejected at admission ({{check}}: {{detail}}).',
    unreadable: 'Could not {{what}} ({{reason}}), so the job pods were not checked against the namespace’s Pod Security level.',
  },
  check: ({runners, env}) =>
    runnersInCluster(runners, env.cluster!, env.servicesPerJob).flatMap(
      ({kubernetes, tablePointer, namespace, facts, runner}): Array<Report<MessageId>> => {
        const missing = unreadable(facts.podSecurity)
        if (missing) return [{pointer: tablePointer, messageId: 'unreadable', data: missing, severity: 'info'}]
        const level = facts.podSecurity.ok ? facts.podSecurity.value.enforce : undefined
        if (!isPodSecurityLevel(level)) return []
        return podSecurityViolations(kubernetes, level).map((v) => ({
          pointer: v.pointer ? `${runner.pointer}/kubernetes${v.pointer}` : tablePointer,
          messageId: 'rejected',
          data: {namespace, level, check: v.check, detail: v.detail},
        }))
      },
    ),
})
