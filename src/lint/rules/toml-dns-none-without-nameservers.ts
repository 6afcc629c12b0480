import {isPlainObject} from '../../model/chart.js'
import {kubernetesDnsPolicy} from '../../model/executor/dns-policy.js'
import {stringList} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

/** Kubernetes requires dnsConfig nameservers with dnsPolicy None. */
export default defineRule({
  id: 'toml-dns-none-without-nameservers',
  target: 'config-toml',
  messages: {
    noNameservers: 'dns_policy = "none" without [runners.kubernetes.dns_config] nameservers: Kubernetes rejects every job pod.',
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}) => {
      if (!kubernetes || kubernetesDnsPolicy(kubernetes.dns_policy) !== 'None') return []
      const dnsConfig = isPlainObject(kubernetes.dns_config) ? kubernetes.dns_config : {}
      if (stringList(dnsConfig.nameservers).length > 0) return []
      return [{pointer: `${pointer}/kubernetes/dns_policy`, messageId: 'noNameservers' as const}]
    }),
})
