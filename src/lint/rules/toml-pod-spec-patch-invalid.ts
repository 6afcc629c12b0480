import {isPlainObject} from '../../model/chart.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'ambiguousPatch' | 'unknownPatchType'

const PATCH_TYPES = ['merge', 'json', 'strategic']

export default defineRule({
  id: 'toml-pod-spec-patch-invalid',
  target: 'config-toml',
  messages: {
    ambiguousPatch: 'A pod_spec sets both patch and patch_path: the runner fails every job with "ambiguous patch".',
    unknownPatchType: 'patch_type = "{{patchType}}" is not merge, json or strategic.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const specs = Array.isArray(kubernetes?.pod_spec) ? kubernetes.pod_spec : []
      return specs.flatMap((spec: unknown, i: number) => {
        if (!isPlainObject(spec)) return []
        const reports: Array<Report<MessageId>> = []
        if (spec.patch !== undefined && spec.patch_path !== undefined)
          reports.push({pointer: `${pointer}/kubernetes/pod_spec/${i}/patch_path`, messageId: 'ambiguousPatch'})
        if (typeof spec.patch_type === 'string' && !PATCH_TYPES.includes(spec.patch_type)) {
          reports.push({
            pointer: `${pointer}/kubernetes/pod_spec/${i}/patch_type`,
            messageId: 'unknownPatchType',
            data: {patchType: spec.patch_type},
          })
        }
        return reports
      })
    }),
})
