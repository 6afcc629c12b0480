import {encodePointer} from '../util/json-pointer.js'
import {isPlainObject} from './chart.js'
import {DOCKER_KEYS, DOCKER_TO_KUBERNETES, GLOBAL, KUBERNETES, PLACES, type KeySpec, type TableSpec, type ValueKind} from './known-keys.js'
import {isTemplatePlaceholder} from './placeholders.js'
import {QUANTITY_KEY} from './quantity.js'
import {isPlaceholder} from './secrets.js'
import {KeyIndex} from './suggest.js'
import {keyStatus, releaseAfter} from './versions.js'

/**
 * One problem with a key of a config.toml, as data: each config-key rule reports one kind and words it itself.
 * `where` is the table's display name, such as `[runners.kubernetes]`.
 */
export type KeyIssue =
  | {kind: 'unknown-key'; pointer: string; key: string; where: string; guess?: string}
  | {
      kind: 'unknown-table'
      pointer: string
      /** The header as written, `[[runner.kubernetes.volumes.pvc]]`. */ table: string
      guess?: string
    }
  /** A key of another table; `belongsIn` is '' for the global section, `as` the key's name there if it differs. */
  | {kind: 'misplaced'; pointer: string; key: string; where: string; belongsIn: string; as?: string}
  | {kind: 'other-executor'; pointer: string; key: string; kubernetesEquivalent?: string}
  /** `runnerVersion` is set when the runner's version is known and at or past the removal. */
  | {kind: 'removed'; pointer: string; key: string; where: string; removedIn: string; runnerVersion?: string; replacement?: string}
  | {kind: 'newer'; pointer: string; key: string; where: string; since: string; runnerVersion: string}
  | {kind: 'type'; pointer: string; key: string; where: string; expected: ValueKind; value: unknown}

export type KeyIssueKind = KeyIssue['kind']

const isInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint'

function matchesKind(kind: ValueKind, value: unknown): boolean {
  // Deploy-time placeholders (`${JOBS}`, Helm actions) are typed only once they are substituted.
  if (isTemplatePlaceholder(value) || isPlaceholder(value)) return true
  switch (kind) {
    case 'string':
      return typeof value === 'string'
    case 'bool':
      return typeof value === 'boolean'
    case 'int':
      return isInt(value)
    case 'duration':
      return typeof value === 'string' || isInt(value)
    case 'string-array':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
    case 'string-or-array':
      return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    case 'int-array':
      return Array.isArray(value) && value.every(isInt)
    case 'string-map':
      return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string')
    case 'bool-map':
      return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'boolean')
    case 'int-map':
      return isPlainObject(value) && Object.values(value).every(isInt)
    case 'table':
      return isPlainObject(value)
    case 'table-array':
      return Array.isArray(value) && value.every(isPlainObject)
    case 'any':
      return true
  }
}

function isTableValue(value: unknown): boolean {
  return isPlainObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isPlainObject))
}

/** `[runners.kubernetes]` for the path runners/0/kubernetes; `[[…]]` when the value is an array of tables. */
function tableName(path: Array<string | number>, value: unknown): string {
  const name = path.filter((s) => typeof s === 'string').join('.')
  return Array.isArray(value) ? `[[${name}]]` : `[${name}]`
}

function lookup(spec: TableSpec, key: string): KeySpec | undefined {
  // Own keys only: a key written as `__proto__` or `constructor` is unknown, not the object's prototype.
  if (Object.hasOwn(spec.keys, key)) return spec.keys[key]
  // The runner's TOML decoder matches struct keys case-insensitively when there is no exact match.
  const lower = key.toLowerCase()
  const hit = Object.keys(spec.keys).find((k) => k.toLowerCase() === lower)
  return hit ? spec.keys[hit] : undefined
}

/** Key indexes of each table, built on first use: one file can hold thousands of unknown keys. */
interface SpecIndexes {
  current: KeyIndex
  tables: KeyIndex
}
const specIndexes = new WeakMap<TableSpec, SpecIndexes>()

function indexesOf(spec: TableSpec): SpecIndexes {
  let indexes = specIndexes.get(spec)
  if (!indexes) {
    const keys = Object.keys(spec.keys)
    indexes = {
      current: new KeyIndex(keys.filter((k) => !spec.keys[k].lastSeen)),
      tables: new KeyIndex(keys.filter((k) => isTableSpecKey(spec, k))),
    }
    specIndexes.set(spec, indexes)
  }
  return indexes
}

/** The other table where `key` (or a respelling of it) is a setting. */
function misplacedIn(spec: TableSpec, key: string): {belongsIn: string; as?: string} | undefined {
  for (const place of PLACES) {
    if (place.spec === spec) continue
    const hit = indexesOf(place.spec).current.respelling(key)
    if (hit && !isTableSpecKey(place.spec, hit)) return {belongsIn: place.path, ...(hit === key ? {} : {as: hit})}
  }
  return undefined
}

function isTableSpecKey(spec: TableSpec, key: string): boolean {
  const kind = Object.hasOwn(spec.keys, key) ? spec.keys[key].kind : undefined
  return kind === 'table' || kind === 'table-array'
}

class Walker {
  readonly issues: KeyIssue[] = []
  constructor(private readonly runnerVersion: string | undefined) {}

  walk(spec: TableSpec, value: Record<string, unknown>, path: Array<string | number>): void {
    if (spec.open) return
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key]
      const pointer = encodePointer(childPath)
      const known = lookup(spec, key)
      if (known) {
        this.checkKnown(spec, key, known, child, childPath, pointer)
        continue
      }
      this.reportUnknown(spec, value, key, child, childPath, pointer)
    }
  }

  private checkKnown(
    spec: TableSpec,
    key: string,
    known: KeySpec,
    child: unknown,
    childPath: Array<string | number>,
    pointer: string,
  ): void {
    const where = spec.display
    const status = keyStatus(this.runnerVersion, known.since, known.lastSeen)
    if (known.lastSeen && (status === 'removed' || status === 'unknown-version')) {
      this.issues.push({
        kind: 'removed',
        pointer,
        key,
        where,
        removedIn: releaseAfter(known.lastSeen),
        ...(status === 'removed' ? {runnerVersion: this.runnerVersion} : {}),
        ...(known.replacement ? {replacement: known.replacement} : {}),
      })
      return
    }
    if (status === 'newer') this.issues.push({kind: 'newer', pointer, key, where, since: known.since!, runnerVersion: this.runnerVersion!})
    if (!QUANTITY_KEY.test(key) && !matchesKind(known.kind, child))
      this.issues.push({kind: 'type', pointer, key, where, expected: known.kind, value: child})
    if (known.table && isPlainObject(child)) this.walk(known.table, child, childPath)
    else if (known.table && known.kind === 'table-array' && Array.isArray(child)) {
      child.forEach((item, i) => {
        if (isPlainObject(item)) this.walk(known.table!, item, [...childPath, i])
      })
    }
  }

  private reportUnknown(
    spec: TableSpec,
    value: Record<string, unknown>,
    key: string,
    child: unknown,
    childPath: Array<string | number>,
    pointer: string,
  ): void {
    const where = spec.display
    if (spec === KUBERNETES && DOCKER_KEYS.has(key)) {
      const equivalent = Object.hasOwn(DOCKER_TO_KUBERNETES, key) ? DOCKER_TO_KUBERNETES[key] : undefined
      this.issues.push({kind: 'other-executor', pointer, key, ...(equivalent ? {kubernetesEquivalent: equivalent} : {})})
      return
    }
    if (isTableValue(child)) {
      // A runner build with its own executor (executor = "cf") reads a table named after it.
      if (spec.display === '[[runners]]' && value.executor === key) return
      const guess = indexesOf(spec).tables.closest(key)
      // A header such as [[runner.kubernetes.volumes.pvc]] creates nested tables: name it as it was written.
      const {tail, leaf} = writtenTail(child)
      const table = tableName([...childPath, ...tail], leaf)
      this.issues.push({
        kind: 'unknown-table',
        pointer,
        table,
        ...(guess ? {guess: tableName([...childPath.slice(0, -1), guess, ...tail], leaf)} : {}),
      })
      return
    }
    const current = indexesOf(spec).current
    const respelled = current.respelling(key)
    const elsewhere = respelled ? undefined : misplacedIn(spec, key)
    if (elsewhere) {
      this.issues.push({kind: 'misplaced', pointer, key, where, ...elsewhere})
      return
    }
    const guess = respelled ?? current.closest(key)
    this.issues.push({kind: 'unknown-key', pointer, key, where, ...(guess ? {guess} : {})})
  }
}

/** Follows tables that hold nothing but one sub-table, the shape a dotted header leaves. */
function writtenTail(value: unknown): {tail: string[]; leaf: unknown} {
  const tail: string[] = []
  let leaf = value
  while (isPlainObject(leaf)) {
    const entries = Object.entries(leaf)
    if (entries.length !== 1 || !isTableValue(entries[0][1])) break
    tail.push(entries[0][0])
    leaf = entries[0][1]
  }
  return {tail, leaf}
}

// Seven rules ask for the issues of the same config: the walk is done once per config and runner version.
const cache = new WeakMap<object, Map<string | undefined, KeyIssue[]>>()

function allKeyIssues(config: Record<string, unknown>, runnerVersion: string | undefined): KeyIssue[] {
  let byVersion = cache.get(config)
  if (!byVersion) cache.set(config, (byVersion = new Map()))
  let issues = byVersion.get(runnerVersion)
  if (!issues) {
    const walker = new Walker(runnerVersion)
    walker.walk(GLOBAL, config, [])
    issues = walker.issues
    byVersion.set(runnerVersion, issues)
  }
  return issues
}

/** A parsed config.toml and what the key rules need to know about it. */
export interface KeyedConfig {
  data: Record<string, unknown>
  runnerVersion?: string
  /** The chart's own default runners.config, which is not the user's to fix: it has no issues. */
  fromChartDefault?: boolean
}

/** The key problems of one kind in a config.toml, judged for a runner of its version (when known). */
export function configKeyIssues<K extends KeyIssueKind>(config: KeyedConfig, kind: K): Array<Extract<KeyIssue, {kind: K}>> {
  if (config.fromChartDefault) return []
  return allKeyIssues(config.data, config.runnerVersion).filter((i): i is Extract<KeyIssue, {kind: K}> => i.kind === kind)
}
