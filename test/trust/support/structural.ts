import fc from 'fast-check'
import {parse as parseToml, stringify as stringifyToml} from 'smol-toml'
import {parseDocument, stringify as stringifyYaml} from 'yaml'

/**
 * Structural mutation: parse a realistic seed, put a value of another type at one of its fields (also
 * fields of the TOML inside `runners.config` and ConfigMap data), and write it back. Byte mutations rarely
 * keep a file parseable; these do, so the rules see every field with every type.
 */
export interface FieldReplacement {
  field: number
  value: unknown
}

type Path = Array<string | number>

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.boolean(),
  fc.integer(),
  fc.integer({min: -1, max: 2}),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, 0.0001),
  fc.string({maxLength: 12}),
  fc.string({unit: 'grapheme', maxLength: 8}),
  fc.constantFrom(
    '',
    'alpine',
    'alpine:latest',
    '1GB',
    '500m',
    '-1Gi',
    '1e400',
    'true',
    '{{ .Values.x }}',
    '${TOKEN}',
    '__proto__',
    'privileged',
  ),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({maxLength: 4}), fc.integer()), {maxLength: 3}),
  fc.dictionary(
    fc.constantFrom('a', 'privileged', 'limit', 'requests', '__proto__', 'constructor'),
    fc.oneof(fc.integer(), fc.boolean(), fc.string({maxLength: 4})),
  ),
)

export const replacementArb: fc.Arbitrary<FieldReplacement> = fc.record({field: fc.nat({max: 100_000}), value: anyValue})

function leafPaths(value: unknown, base: Path = [], out: Path[] = []): Path[] {
  out.push(base)
  if (Array.isArray(value)) value.forEach((v, i) => leafPaths(v, [...base, i], out))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leafPaths(v, [...base, k], out)
  return out
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  const container = (root && typeof root === 'object' ? root : {}) as Record<string | number, unknown>
  Object.defineProperty(container, head, {value: setAt(container[head], rest, value), enumerable: true, writable: true, configurable: true})
  return container
}

function tomlOf(data: unknown): string {
  try {
    return stringifyToml(data as Record<string, unknown>)
  } catch {
    // TOML has no null and no top-level scalar; a string in its place is still a wrong type.
    return stringifyToml({value: JSON.stringify(data) ?? 'null'})
  }
}

/** Every field of a file's data; fields holding TOML text are opened up as a nested `{toml: …}`. */
function expand(data: unknown): unknown {
  if (typeof data === 'string' && /\[\[?runners/.test(data)) {
    try {
      return {toml: parseToml(data)}
    } catch {
      return data
    }
  }
  if (Array.isArray(data)) return data.map(expand)
  if (data && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, expand(v)]))
  return data
}

function collapse(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(collapse)
  if (data && typeof data === 'object') {
    const keys = Object.keys(data)
    if (keys.length === 1 && keys[0] === 'toml') return tomlOf((data as {toml: unknown}).toml)
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, collapse(v)]))
  }
  return data
}

// Parsed seeds, so each case does not parse its seed again; texts rewritten by an earlier replacement are not kept.
const parsedSeeds = new Map<string, unknown>()
const MAX_CACHED_SEEDS = 200

/** Returns the rewritten file, or undefined when the seed itself does not parse (byte mutations cover those). */
export function replaceField(seed: string, isToml: boolean, r: FieldReplacement): string | undefined {
  const cached = parsedSeeds.get(seed)
  const expanded = cached === undefined ? parseAndExpand(seed, isToml) : structuredClone(cached)
  if (expanded === undefined) return undefined
  if (cached === undefined && parsedSeeds.size < MAX_CACHED_SEEDS) parsedSeeds.set(seed, structuredClone(expanded))
  const paths = leafPaths(expanded)
  const path = paths[r.field % paths.length]
  const changed = collapse(setAt(expanded, path, r.value))
  return isToml ? tomlOf(changed) : stringifyYaml(changed, {aliasDuplicateObjects: false})
}

function parseAndExpand(seed: string, isToml: boolean): unknown {
  let data: unknown
  try {
    if (isToml) data = parseToml(seed)
    else {
      const doc = parseDocument(seed)
      if (doc.errors.length > 0) return undefined
      data = doc.toJS({maxAliasCount: 100})
    }
  } catch {
    return undefined
  }
  return expand(data)
}
