import {isPlainObject} from '../model/chart.js'
import type {LintTarget} from '../inputs/targets.js'
import {runnersOf} from '../model/runners.js'
import {decodePointer, encodePointer} from '../inputs/yaml-source.js'

export function valueAt(data: unknown, pointer: string): unknown {
  let node = data
  for (const segment of decodePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isPlainObject(node)) node = node[segment]
    else return undefined
  }
  return node
}

/**
 * Expands a `given` path with `*` wildcards over the target's data. For config-toml rules bound to an
 * executor, `/runners/*` only visits runners of that executor.
 */
export function expandGiven(target: LintTarget, given: string, executor?: string): Array<{pointer: string; value: unknown}> {
  const segments = decodePointer(given)
  let frontier: Array<{path: Array<string | number>; value: unknown}> = [{path: [], value: target.data}]
  const allowedRunners =
    target.type === 'config-toml' && executor
      ? new Set(
          runnersOf(target)
            .filter((r) => r.executor === executor)
            .map((r) => r.index),
        )
      : undefined
  segments.forEach((segment, depth) => {
    const next: typeof frontier = []
    for (const {path, value} of frontier) {
      if (segment === '*') {
        if (Array.isArray(value)) {
          value.forEach((v, i) => {
            if (depth === 1 && path[0] === 'runners' && allowedRunners && !allowedRunners.has(i)) return
            next.push({path: [...path, i], value: v})
          })
        } else if (isPlainObject(value)) {
          for (const [k, v] of Object.entries(value)) next.push({path: [...path, k], value: v})
        }
      } else if (Array.isArray(value) && /^\d+$/.test(segment)) {
        if (value[Number(segment)] !== undefined) next.push({path: [...path, Number(segment)], value: value[Number(segment)]})
      } else if (isPlainObject(value) && segment in value) {
        next.push({path: [...path, segment], value: value[segment]})
      }
    }
    frontier = next
  })
  return frontier.map(({path, value}) => ({pointer: encodePointer(path), value}))
}
