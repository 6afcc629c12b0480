import {isPlainObject} from '../../model/chart.js'
import {JOB_CONTAINERS} from '../../model/capacity.js'
import {defineRule} from '../define-rule.js'

const isSet = (value: unknown) => value !== undefined && value !== ''

const KEYS_PER_CONTAINER = 4

/** "build, helper and service" */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/**
 * The containers with nothing sized together ("the build and service containers have no CPU or memory requests or
 * limits"), then each partly sized one with the keys it still lacks.
 */
function describeGaps(gaps: Array<{name: string; missing: string[]}>): string {
  const unsized = gaps.filter((g) => g.missing.length === KEYS_PER_CONTAINER).map((g) => g.name)
  const parts = gaps
    .filter((g) => g.missing.length < KEYS_PER_CONTAINER)
    .map((g) => `the ${g.name} container has no ${g.missing.join(', ')}`)
  if (unsized.length > 0) {
    const noun = unsized.length === 1 ? 'container has' : 'containers have'
    parts.unshift(`the ${listed(unsized)} ${noun} no CPU or memory requests or limits`)
  }
  const text = parts.join('; ')
  return text[0].toUpperCase() + text.slice(1)
}

export default defineRule({
  id: 'toml-missing-resources',
  target: 'config-toml',
  messages: {
    missing: '{{gaps}}: job pods can starve their node or be evicted first.',
  },
  // One finding per runner: the containers are sized in the same table, and three findings for one table is noise.
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      if (!isPlainObject(value)) return []
      const gaps = JOB_CONTAINERS.flatMap(({prefix, name}) => {
        const missing = ['cpu', 'memory']
          .flatMap((r) => [`${prefix}${r}_request`, `${prefix}${r}_limit`])
          .filter((key) => !isSet(value[key]))
        return missing.length === 0 ? [] : [{name, missing}]
      })
      return gaps.length === 0 ? [] : [{pointer, messageId: 'missing' as const, data: {gaps: describeGaps(gaps)}}]
    }),
})
