import {isClusterSystemNamespace} from '../../model/executor/namespaces.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-jobs-in-system-namespace',
  target: 'config-toml',
  messages: {
    systemNamespace: "Job pods run in {{namespace}}, next to the cluster's own components and their service account tokens and secrets.",
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const namespace = kubernetes?.namespace
      if (!isLiteral(namespace) || !isClusterSystemNamespace(namespace)) return []
      return [{pointer: `${pointer}/kubernetes/namespace`, messageId: 'systemNamespace' as const, data: {namespace}}]
    }),
})
