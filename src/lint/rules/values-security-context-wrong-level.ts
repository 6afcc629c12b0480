import {compareVersions, mapAt} from '../../model/chart.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'podFieldInContainer' | 'containerFieldInPod'

// Kubernetes core/v1: fields only PodSecurityContext has, and fields only SecurityContext (a container's) has.
// runAsUser, runAsGroup, runAsNonRoot, seLinuxOptions, seccompProfile, appArmorProfile and windowsOptions are in both.
const POD_ONLY = ['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls', 'seLinuxChangePolicy']
const CONTAINER_ONLY = ['allowPrivilegeEscalation', 'capabilities', 'privileged', 'procMount', 'readOnlyRootFilesystem']

/** Chart 0.52.0 split the manager's securityContext (until then the pod's) into podSecurityContext and a container securityContext. */
const SPLIT_IN = '0.52.0'

export default defineRule({
  id: 'values-security-context-wrong-level',
  target: 'values',
  messages: {
    podFieldInContainer:
      "securityContext.{{field}} is a pod setting, but securityContext is the manager container's: " +
      'Kubernetes rejects the unknown field or drops it. Move it to podSecurityContext.',
    containerFieldInPod:
      'podSecurityContext.{{field}} is a container setting, which a pod security context does not ' +
      'have: Kubernetes rejects the unknown field or drops it. Move it to securityContext.',
  },
  check: ({target}) => {
    if (compareVersions(target.chartVersion, SPLIT_IN) < 0) return []
    const container = mapAt(target.user, 'securityContext')
    const pod = mapAt(target.user, 'podSecurityContext')
    return [
      ...POD_ONLY.filter((field) => field in container).map((field): Report<MessageId> => ({
        pointer: `/securityContext/${field}`,
        messageId: 'podFieldInContainer',
        data: {field},
      })),
      ...CONTAINER_ONLY.filter((field) => field in pod).map((field): Report<MessageId> => ({
        pointer: `/podSecurityContext/${field}`,
        messageId: 'containerFieldInPod',
        data: {field},
      })),
    ]
  },
})
