import {mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

/** The setting of a runner that places job pods outside the runner's namespace, if any. */
function otherNamespaceSetting(kubernetes: Record<string, unknown>): string | undefined {
  if (kubernetes.namespace_per_job === true) return 'namespace_per_job'
  const overwrite = kubernetes.namespace_overwrite_allowed
  return typeof overwrite === 'string' && overwrite !== '' ? 'namespace_overwrite_allowed' : undefined
}

export default defineRule({
  id: 'toml-namespace-overwrite-without-cluster-role',
  target: 'config-toml',
  messages: {
    forbidden:
      `{{key}} places job pods in other namespaces, but the chart's Role only covers its own namespace ` +
      `(rbac.clusterWideAccess is false): those jobs fail with "forbidden".`,
  },
  check: ({target, runners}) => {
    if (!target.values) return []
    const rbac = mapAt(target.values.data, 'rbac')
    if (rbac.create !== true || rbac.clusterWideAccess === true) return []
    return runners.flatMap((runner) => {
      const key = otherNamespaceSetting(runner.kubernetes ?? {})
      return key ? [{pointer: `${runner.pointer}/kubernetes/${key}`, messageId: 'forbidden' as const}] : []
    })
  },
})
