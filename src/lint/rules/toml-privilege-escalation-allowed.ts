import {containerSecurityContexts} from '../../model/executor/security-contexts.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'allJobContainers' | 'oneContainer'

export default defineRule({
  id: 'toml-privilege-escalation-allowed',
  target: 'config-toml',
  messages: {
    allJobContainers:
      'allow_privilege_escalation = true lets job processes gain privileges through setuid binaries; ' +
      'the Pod Security Standards restricted profile forbids it.',
    oneContainer: '{{context}}.allow_privilege_escalation = true lets processes in that container gain privileges.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      if (!kubernetes) return []
      const reports: Array<Report<MessageId>> = []
      if (kubernetes.allow_privilege_escalation === true)
        reports.push({pointer: `${pointer}/kubernetes/allow_privilege_escalation`, messageId: 'allJobContainers'})
      for (const {key, context} of containerSecurityContexts(kubernetes)) {
        if (context.allow_privilege_escalation === true)
          reports.push({
            pointer: `${pointer}/kubernetes/${key}/allow_privilege_escalation`,
            messageId: 'oneContainer',
            data: {context: key},
          })
      }
      return reports
    }),
})
