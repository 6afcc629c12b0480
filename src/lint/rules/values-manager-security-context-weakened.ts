import {mapAt} from '../../model/chart.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'privileged' | 'privilegeEscalation' | 'mayRunAsRoot' | 'runsAsRoot'

export default defineRule({
  id: 'values-manager-security-context-weakened',
  target: 'values',
  messages: {
    privileged:
      'securityContext.privileged: true makes the runner manager privileged; it only talks to the Kubernetes API and needs no host access.',
    privilegeEscalation: 'securityContext.allowPrivilegeEscalation: true undoes the chart default for the runner manager.',
    mayRunAsRoot: 'securityContext.runAsNonRoot: false lets the runner manager run as root.',
    runsAsRoot: 'runAsUser: 0 runs the runner manager, which holds the runner token, as root.',
  },
  check: ({target}) => {
    const out: Array<Report<MessageId>> = []
    const container = mapAt(target.user, 'securityContext')
    const pod = mapAt(target.user, 'podSecurityContext')
    if (container.privileged === true) out.push({pointer: '/securityContext/privileged', messageId: 'privileged'})
    if (container.allowPrivilegeEscalation === true)
      out.push({pointer: '/securityContext/allowPrivilegeEscalation', messageId: 'privilegeEscalation'})
    if (container.runAsNonRoot === false) out.push({pointer: '/securityContext/runAsNonRoot', messageId: 'mayRunAsRoot'})
    if (pod.runAsUser === 0) out.push({pointer: '/podSecurityContext/runAsUser', messageId: 'runsAsRoot'})
    else if (container.runAsUser === 0) out.push({pointer: '/securityContext/runAsUser', messageId: 'runsAsRoot'})
    return out
  },
})
