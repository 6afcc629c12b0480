import {configKeyIssues} from '../../model/config-key-issues.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-key-under-kubernetes',
  target: 'config-toml',
  messages: {
    dockerKey: '{{key}} is a Docker executor setting ([runners.docker]); the Kubernetes executor ignores it.',
    dockerKeyWithEquivalent:
      '{{key}} is a Docker executor setting ([runners.docker]); the Kubernetes executor ignores ' +
      'it. The Kubernetes equivalent is {{equivalent}}.',
  },
  check: ({target}) =>
    configKeyIssues(target, 'other-executor').map(
      ({pointer, key, kubernetesEquivalent}): Report<'dockerKey' | 'dockerKeyWithEquivalent'> =>
        kubernetesEquivalent
          ? {pointer, messageId: 'dockerKeyWithEquivalent', data: {key, equivalent: kubernetesEquivalent}}
          : {pointer, messageId: 'dockerKey', data: {key}},
    ),
})
