import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import type {TomlTarget} from '../../inputs/targets.js'
import {encodePointer} from '../../inputs/yaml-source.js'
import {isPlainObject} from '../../model/chart.js'
import {QUANTITY_KEY} from '../../model/quantity.js'
import {isPlaceholder} from '../../model/secrets.js'
import {DOCKER_KEYS, DOCKER_TO_KUBERNETES, GLOBAL, KUBERNETES, PLACES, type KeySpec, type TableSpec, type ValueKind} from '../../model/known-keys.js'
import {KeyIndex} from '../../model/suggest.js'
import {keyStatus, releaseAfter} from '../../model/versions.js'
import type {FunctionResult, RuleFunction} from './types.js'

export type KeyIssueKind = 'unknown-key' | 'unknown-table' | 'misplaced' | 'other-executor' | 'removed' | 'newer' | 'type'

export interface KeyIssue {
  kind: KeyIssueKind
  pointer: string
  message: string
}


const KIND_TEXT: Record<ValueKind, string> = {
  string: 'a string',
  bool: 'true or false',
  int: 'a whole number',
  duration: 'a duration such as "10m"',
  'string-array': 'an array of strings',
  'string-or-array': 'a string or an array of strings',
  'int-array': 'an array of numbers',
  'string-map': 'a table of string values',
  'bool-map': 'a table of true/false values',
  'int-map': 'a table of numbers',
  table: 'a table',
  'table-array': 'an array of tables',
  any: 'a value',
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'boolean') return 'a boolean'
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? 'a number' : 'a decimal number'
  if (Array.isArray(value)) return value.every(isPlainObject) && value.length > 0 ? 'an array of tables' : 'an array'
  if (isPlainObject(value)) return 'a table'
  return 'a date'
}

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
  if (spec.keys[key]) return spec.keys[key]
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
    indexes = {current: new KeyIndex(keys.filter((k) => !spec.keys[k].lastSeen)), tables: new KeyIndex(keys.filter((k) => isTableSpecKey(spec, k)))}
    specIndexes.set(spec, indexes)
  }
  return indexes
}

function misplacedIn(spec: TableSpec, key: string): string | undefined {
  for (const place of PLACES) {
    if (place.spec === spec) continue
    const hit = indexesOf(place.spec).current.respelling(key)
    if (hit && !isTableSpecKey(place.spec, hit)) return place.path === '' ? `the global section (above any [[runners]])${hit !== key ? ` as ${hit}` : ''}` : `${place.path}${hit !== key ? ` as ${hit}` : ''}`
  }
  return undefined
}

function isTableSpecKey(spec: TableSpec, key: string): boolean {
  const kind = spec.keys[key]?.kind
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

  private checkKnown(spec: TableSpec, key: string, known: KeySpec, child: unknown, childPath: Array<string | number>, pointer: string): void {
    const where = spec.display
    const status = keyStatus(this.runnerVersion, known.since, known.lastSeen)
    if (known.lastSeen && (status === 'removed' || status === 'unknown-version')) {
      const removedIn = releaseAfter(known.lastSeen)
      const instead = known.replacement ? `; use ${known.replacement}` : ''
      const target = status === 'removed' ? `runner ${this.runnerVersion} ignores it` : `runners from ${removedIn} ignore it`
      this.issues.push({kind: 'removed', pointer, message: `${key} in ${where} was removed in GitLab Runner ${removedIn} and ${target}${instead}.`})
      return
    }
    if (status === 'newer') {
      this.issues.push({kind: 'newer', pointer, message: `${key} in ${where} needs GitLab Runner ${known.since} or later; runner ${this.runnerVersion} ignores it.`})
    }
    if (!QUANTITY_KEY.test(key) && !matchesKind(known.kind, child)) {
      this.issues.push({kind: 'type', pointer, message: typeMessage(key, where, known.kind, child)})
    }
    if (known.table && isPlainObject(child)) this.walk(known.table, child, childPath)
    else if (known.table && known.kind === 'table-array' && Array.isArray(child)) {
      child.forEach((item, i) => {
        if (isPlainObject(item)) this.walk(known.table!, item, [...childPath, i])
      })
    }
  }

  private reportUnknown(spec: TableSpec, value: Record<string, unknown>, key: string, child: unknown, childPath: Array<string | number>, pointer: string): void {
    const where = spec.display
    if (spec === KUBERNETES && DOCKER_KEYS.has(key)) {
      const equivalent = DOCKER_TO_KUBERNETES[key]
      this.issues.push({
        kind: 'other-executor',
        pointer,
        message: `${key} is a Docker executor setting ([runners.docker]); the Kubernetes executor ignores it${equivalent ? `. The Kubernetes equivalent is ${equivalent}` : ''}.`,
      })
      return
    }
    if (isTableValue(child)) {
      // A runner build with its own executor (executor = "cf") reads a table named after it.
      if (spec.display === '[[runners]]' && value.executor === key) return
      const guess = indexesOf(spec).tables.closest(key)
      // A header such as [[runner.kubernetes.volumes.pvc]] creates nested tables: name it as it was written.
      const {tail, leaf} = writtenTail(child)
      const written = tableName([...childPath, ...tail], leaf)
      const suggestion = guess ? ` Did you mean ${tableName([...childPath.slice(0, -1), guess, ...tail], leaf)}?` : ''
      this.issues.push({kind: 'unknown-table', pointer, message: `${written} is not a table GitLab Runner reads, so everything in it is ignored.${suggestion}`})
      return
    }
    const current = indexesOf(spec).current
    const respelled = current.respelling(key)
    const elsewhere = respelled ? undefined : misplacedIn(spec, key)
    if (elsewhere) {
      this.issues.push({kind: 'misplaced', pointer, message: `${key} does nothing in ${where}: it belongs in ${elsewhere}.`})
      return
    }
    const guess = respelled ?? current.closest(key)
    this.issues.push({
      kind: 'unknown-key',
      pointer,
      message: `${key} is not a ${where} setting, so GitLab Runner ignores it.${guess ? ` Did you mean ${guess}?` : ''}`,
    })
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

function typeMessage(key: string, where: string, kind: ValueKind, value: unknown): string {
  let hint = ''
  if (key === 'volumes' && where === KUBERNETES.display && Array.isArray(value)) hint = ' Docker-style "host:container" strings do not work here; use [[runners.kubernetes.volumes.host_path]] tables.'
  else if (kind === 'bool' && typeof value === 'string' && /^(true|false)$/i.test(value)) hint = ` Write ${key} = ${value.toLowerCase()} without quotes.`
  else if (kind === 'int' && typeof value === 'string' && /^\d+$/.test(value)) hint = ` Write ${key} = ${value} without quotes.`
  else if (kind === 'string' && (typeof value === 'number' || typeof value === 'boolean')) hint = ` Quote it: ${key} = "${String(value)}".`
  else if (kind === 'string-map' && isPlainObject(value)) {
    const bad = Object.entries(value).find(([, v]) => typeof v !== 'string')
    if (bad) hint = ` The value of ${bad[0]} must be quoted.`
  }
  return `${key} in ${where} must be ${KIND_TEXT[kind]}, not ${describe(value)}: GitLab Runner fails to load this configuration.${hint}`
}

const cache = new WeakMap<object, KeyIssue[]>()

/** Every key problem in a config.toml, computed once per target and shared by the rules that report them. */
export function configKeyIssues(target: TomlTarget): KeyIssue[] {
  let issues = cache.get(target.data)
  if (!issues) {
    const walker = new Walker(target.runnerVersion)
    walker.walk(GLOBAL, target.data, [])
    issues = walker.issues
    cache.set(target.data, issues)
  }
  return issues
}

function reporter(kind: KeyIssueKind): RuleFunction {
  return ({target}) => {
    if (target.type !== 'config-toml' || target.fromChartDefault) return []
    return configKeyIssues(target)
      .filter((i) => i.kind === kind)
      .map((i): FunctionResult => ({pointer: i.pointer, message: i.message}))
  }
}

export const unknownConfigKey = reporter('unknown-key')
export const unknownConfigTable = reporter('unknown-table')
export const misplacedConfigKey = reporter('misplaced')
export const otherExecutorKey = reporter('other-executor')
export const removedConfigKey = reporter('removed')
export const keyNewerThanRunner = reporter('newer')
export const configValueType = reporter('type')
