import {mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-pod-security-policy',
  target: 'values',
  messages: {
    enabled:
      'rbac.podSecurityPolicy.enabled grants use of PodSecurityPolicies, an API removed in Kubernetes ' +
      '1.25: on current clusters the chart fails to install or the rule does nothing.',
  },
  check: ({target}) =>
    mapAt(mapAt(target.data, 'rbac'), 'podSecurityPolicy').enabled === true
      ? [{pointer: '/rbac/podSecurityPolicy/enabled', messageId: 'enabled'}]
      : [],
})
