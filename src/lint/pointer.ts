import {isPlainObject} from '../model/chart.js'
import type {LintTarget} from '../inputs/targets.js'
import {runnersOf} from '../model/runners.js'
import {decodePointer} from '../inputs/yaml-source.js'
import {pointerSegment} from '../util/json-pointer.js'

export function valueAt(data: unknown, pointer: string): unknown {
  let node = data
  for (const segment of decodePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isPlainObject(node)) node = node[segment]
    else return undefined
  }
  return node
}

// Rules name a handful of `given` paths and ask for them on every target: each is decoded once.
const givenSegments = new Map<string, string[]>()

/**
 * Expands a `given` path with `*` wildcards over the target's data. For config-toml rules bound to an
 * executor, `/runners/*` only visits runners of that executor.
 */
export function expandGiven(target: LintTarget, given: string, executor?: string): Array<{pointer: string; value: unknown}> {
  let segments = givenSegments.get(given)
  if (!segments) {
    segments = decodePointer(given)
    givenSegments.set(given, segments)
  }
  // Each node carries its pointer as built so far, and the first segment of its path (the runners check needs it).
  let frontier: Array<{pointer: string; first: string | number | undefined; value: unknown}> = [
    {pointer: '', first: undefined, value: target.data},
  ]
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
    const step = (node: (typeof frontier)[number], key: string | number, value: unknown) =>
      next.push({pointer: node.pointer + pointerSegment(key), first: depth === 0 ? key : node.first, value})
    for (const node of frontier) {
      const value = node.value
      if (segment === '*') {
        if (Array.isArray(value)) {
          value.forEach((v, i) => {
            if (depth === 1 && node.first === 'runners' && allowedRunners && !allowedRunners.has(i)) return
            step(node, i, v)
          })
        } else if (isPlainObject(value)) {
          for (const [k, v] of Object.entries(value)) step(node, k, v)
        }
      } else if (Array.isArray(value) && /^\d+$/.test(segment)) {
        if (value[Number(segment)] !== undefined) step(node, Number(segment), value[Number(segment)])
      } else if (isPlainObject(value) && segment in value) {
        step(node, segment, value[segment])
      }
    }
    frontier = next
  })
  return frontier.map(({pointer, value}) => ({pointer, value}))
}
