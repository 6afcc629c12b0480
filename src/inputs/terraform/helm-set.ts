import {isPlainObject} from '../../model/chart.js'

/** strvals' MaxIndex. */
export const MAX_LIST_INDEX = 65536

/** A segment of a `--set` name: a map key, or a list index written `[n]`. */
export type SetSegment = string | number

/**
 * Splits a `--set` name as Helm's strvals does: `.` separates keys, `\.` is a dot inside a key, `[n]` indexes a
 * list (`runners.config`, `podAnnotations.prometheus\.io/scrape`, `hostAliases[0].ip`).
 */
export function parseSetName(name: string): SetSegment[] | undefined {
  const segments: SetSegment[] = []
  let key = ''
  let pendingKey = true
  for (let i = 0; i < name.length; i++) {
    const c = name[i]
    if (c === '\\' && i + 1 < name.length) {
      key += name[++i]
    } else if (c === '.') {
      if (pendingKey) segments.push(key)
      key = ''
      pendingKey = true
    } else if (c === '[') {
      const close = name.indexOf(']', i)
      const index = close === -1 ? NaN : Number(name.slice(i + 1, close))
      // Helm's strvals refuses list indexes above 65536; so do we, before any list is grown to that length.
      if (!Number.isInteger(index) || index < 0 || index > MAX_LIST_INDEX) return undefined
      if (pendingKey && key !== '') segments.push(key)
      segments.push(index)
      key = ''
      pendingKey = false
      i = close
    } else {
      key += c
      pendingKey = true
    }
  }
  if (pendingKey) segments.push(key)
  return segments.length > 0 && segments.every((s) => s !== '') ? segments : undefined
}

/** Helm's typing of a `--set` value: true, false, null and integers become those; floats and the rest stay strings. */
export function typedSetScalar(text: string): unknown {
  if (text === 'true') return true
  if (text === 'false') return false
  if (text === 'null') return null
  if (/^-?(0|[1-9]\d*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  return text
}

/**
 * The value a `set` entry gives its key. The provider passes the value to Helm as `name=value`, so `{a,b}` is a
 * list and `\,` a comma; `type = "string"` keeps the text as it is.
 */
export function setValue(value: string, type: string | undefined): unknown {
  if (type === 'string') return value
  if (value.startsWith('{') && value.endsWith('}')) {
    const inner = value.slice(1, -1)
    return inner === '' ? [] : inner.split(/(?<!\\),/).map((item) => typedSetScalar(item.replaceAll('\\,', ',')))
  }
  return typedSetScalar(value.replaceAll('\\,', ','))
}

/** Writes a value at a path as `--set` does: missing maps and list entries are created, the old value replaced. */
export function applySet(root: Record<string, unknown>, path: SetSegment[], value: unknown): void {
  let parent: Record<string, unknown> | unknown[] = root
  path.forEach((segment, i) => {
    const last = i === path.length - 1
    const nextIsIndex = !last && typeof path[i + 1] === 'number'
    const fresh = () => (nextIsIndex ? [] : {})
    if (Array.isArray(parent)) {
      const index = segment as number
      while (parent.length <= index) parent.push(null)
      if (last) parent[index] = value
      else {
        const existing: unknown = parent[index]
        if (!(nextIsIndex ? Array.isArray(existing) : isPlainObject(existing))) parent[index] = fresh()
        parent = parent[index] as Record<string, unknown> | unknown[]
      }
    } else {
      // Own properties only, written with defineProperty: a name such as `__proto__.x` from a .tf file must
      // create a key called __proto__, never reach Object.prototype.
      const key = String(segment)
      const own = (object: Record<string, unknown>, v: unknown) =>
        Object.defineProperty(object, key, {value: v, enumerable: true, writable: true, configurable: true})
      if (last) own(parent, value)
      else {
        const existing = Object.hasOwn(parent, key) ? parent[key] : undefined
        if (!(nextIsIndex ? Array.isArray(existing) : isPlainObject(existing))) own(parent, fresh())
        parent = parent[key] as Record<string, unknown> | unknown[]
      }
    }
  })
}
