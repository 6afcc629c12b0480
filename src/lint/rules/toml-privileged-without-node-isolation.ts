import {isPlainObject} from '../../model/chart.js'
import {privilegedSetting} from '../../model/executor/security-contexts.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-privileged-without-node-isolation',
  target: 'config-toml',
  messages: {
    anyNode:
      'Privileged job pods can land on any node, next to other workloads whose data they can then ' +
      'reach: no node_selector or node affinity keeps them on dedicated nodes.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const privileged = kubernetes && privilegedSetting(kubernetes)
      if (!kubernetes || !privileged) return []
      const selector = isPlainObject(kubernetes.node_selector) && Object.keys(kubernetes.node_selector).length > 0
      const affinity = isPlainObject(kubernetes.affinity) && isPlainObject(kubernetes.affinity.node_affinity)
      return selector || affinity ? [] : [{pointer: `${pointer}/kubernetes${privileged}`, messageId: 'anyNode' as const}]
    }),
})
