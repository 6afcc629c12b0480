import {isRunnerDnsPolicy, meantDnsPolicy} from '../../model/executor/dns-policy.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule, type Report} from '../define-rule.js'

/** The runner takes kebab-case DNS policies only; Kubernetes spellings are dropped with a warning. */
export default defineRule({
  id: 'toml-dns-policy-invalid',
  target: 'config-toml',
  messages: {
    meant:
      'dns_policy = "{{policy}}" is not a runner DNS policy: the runner logs a warning and the pod gets the ' +
      'cluster default instead. Write dns_policy = "{{meant}}".',
    unknown:
      'dns_policy = "{{policy}}" is not a runner DNS policy: the runner logs a warning and the pod gets the ' +
      'cluster default instead. Valid values are none, default, cluster-first and ' +
      'cluster-first-with-host-net.',
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}): Array<Report<'meant' | 'unknown'>> => {
      const policy = kubernetes?.dns_policy
      if (!isLiteral(policy) || policy === '' || isRunnerDnsPolicy(policy)) return []
      const meant = meantDnsPolicy(policy)
      const at = `${pointer}/kubernetes/dns_policy`
      return [meant ? {pointer: at, messageId: 'meant', data: {policy, meant}} : {pointer: at, messageId: 'unknown', data: {policy}}]
    }),
})
