import {featureFlagOn} from '../../model/feature-flags.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-pod-spec-without-feature-flag',
  target: 'config-toml',
  messages: {
    patchesIgnored:
      '[[runners.kubernetes.pod_spec]] patches are ignored unless the feature flag FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is on.',
  },
  check: ({runners}) =>
    runners.flatMap((runner) => {
      const specs = runner.kubernetes?.pod_spec
      if (!Array.isArray(specs) || specs.length === 0 || featureFlagOn(runner, 'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION')) return []
      return [{pointer: `${runner.pointer}/kubernetes/pod_spec`, messageId: 'patchesIgnored' as const}]
    }),
})
