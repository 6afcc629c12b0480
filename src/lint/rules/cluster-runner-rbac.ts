import {EXECUTOR_PERMISSIONS, permissionText} from '../../model/cluster/runner-access.js'
import {runnersInCluster} from '../../model/cluster/runner-in-cluster.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'missing' | 'unreadable'

export default defineRule({
  id: 'cluster-runner-rbac',
  target: 'config-toml',
  messages: {
    missing:
      'ServiceAccount {{account}} (of Deployment {{deployment}}) may not {{permissions}} in namespace ' +
      '{{namespace}}, which the executor needs for {{purpose}}: jobs fail with "forbidden".',
    unreadable: 'Could not check {{what}} ({{reason}}), so the runner’s permissions for this config were not checked.',
  },
  check: ({runners, env}) => {
    const cluster = env.cluster!
    const inCluster = runnersInCluster(runners, cluster, env.servicesPerJob)
    if (!cluster.access.ok) {
      const first = inCluster[0]
      return first
        ? [
            {
              pointer: first.tablePointer,
              messageId: 'unreadable',
              data: {what: cluster.access.what, reason: cluster.access.reason},
              severity: 'info',
            },
          ]
        : []
    }
    const answers = cluster.access.value
    const runner = cluster.runner.ok && cluster.runner.value && !('ambiguous' in cluster.runner.value) ? cluster.runner.value : undefined
    return inCluster.flatMap(({kubernetes, tablePointer, namespace}): Array<Report<MessageId>> => {
      const denied = EXECUTOR_PERMISSIONS.filter((p) => p.neededBy(kubernetes)).filter((p) =>
        answers.some(
          (a) =>
            a.namespace === namespace &&
            !a.allowed &&
            a.verb === p.verb &&
            a.resource === p.resource &&
            (a.subresource ?? '') === (p.subresource ?? '') &&
            (a.group ?? '') === (p.group ?? ''),
        ),
      )
      // One finding per purpose: "may not create, delete secrets" reads better than one line per verb.
      const byPurpose = new Map<string, typeof denied>()
      for (const p of denied) byPurpose.set(p.purpose, [...(byPurpose.get(p.purpose) ?? []), p])
      return [...byPurpose].map(([purpose, permissions]) => ({
        pointer: tablePointer,
        messageId: 'missing',
        data: {
          account: `${cluster.runnerNamespace}/${runner?.serviceAccount ?? 'default'}`,
          deployment: `${cluster.runnerNamespace}/${runner?.name ?? '?'}`,
          permissions: permissions.map(permissionText).join(', '),
          namespace,
          purpose,
        },
      }))
    })
  },
})
