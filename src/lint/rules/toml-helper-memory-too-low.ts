import {parseQuantity} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

const MIB = 1024 * 1024
// docs/executors/kubernetes/_index.md, "Helper container memory sizing recommendations" (runner 18.2 and later):
// at least 250 MiB with cache or artifacts; 128-200 MiB "might work" for basic jobs.
const RECOMMENDED = 250 * MIB
const BASIC_FLOOR = 128 * MIB

type MessageId = 'belowBasic' | 'belowRecommended'

export default defineRule({
  id: 'toml-helper-memory-too-low',
  target: 'config-toml',
  messages: {
    belowBasic:
      'helper_memory_limit = {{value}} is below the 128 MiB the runner documents even for jobs without ' +
      'cache or artifacts: the helper, which clones and moves cache and artifacts, gets OOMKilled.',
    belowRecommended:
      'helper_memory_limit = {{value}} is below the 250 MiB the runner documents for jobs with cache ' +
      'or artifacts: such jobs can see the helper OOMKilled.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}): Array<Report<MessageId>> => {
      const raw = kubernetes?.helper_memory_limit
      const bytes = parseQuantity(raw)
      // Zero or unset is no limit at all.
      if (bytes === undefined || bytes <= 0 || bytes >= RECOMMENDED) return []
      const at = `${pointer}/kubernetes/helper_memory_limit`
      return bytes < BASIC_FLOOR
        ? [{pointer: at, messageId: 'belowBasic'}]
        : [{pointer: at, messageId: 'belowRecommended', severity: 'info'}]
    }),
})
