import {encodePointer} from '../util/json-pointer.js'
import {isPlainObject} from './chart.js'
import {stringList} from './literals.js'

/*
 * The parts of a .gitlab-ci.yml that decide how a job's services run: each job's services and variables after
 * `extends`, `default` and `inherit`, with the place in the file each value came from. Only what is written in
 * this file is known: `include`d files and project or group variables are not.
 */

export interface CiVariable {
  value: string
  /** Where it is set in the file. */
  pointer: string
}

export interface CiService {
  image: string
  alias?: string
  pointer: string
  variables: Map<string, CiVariable>
  /** `command:` and `entrypoint:` of the long form (e.g. dind's `--mtu=1450`); empty when not set. */
  command: string[]
  entrypoint: string[]
}

export interface CiJob {
  name: string
  pointer: string
  services: CiService[]
  /** Global variables (as `inherit` allows) overlaid with the job's own. */
  variables: Map<string, CiVariable>
  /** The job's image name: its own, from `extends`, else `default:`/global `image` as `inherit` allows. */
  image?: string
  /** Something the job depends on is not in this file (an unknown `extends` template). */
  partial: boolean
}

export interface CiConfig {
  jobs: CiJob[]
  /** The file includes others, which may define or change jobs. */
  includes: boolean
}

/** Top-level keys that configure the pipeline rather than name a job. */
const GLOBAL_KEYWORDS = new Set([
  'image',
  'services',
  'stages',
  'variables',
  'include',
  'workflow',
  'default',
  'before_script',
  'after_script',
  'cache',
  'types',
])
/** GitLab's own limit on `extends` nesting. */
const MAX_EXTENDS_DEPTH = 11

interface Resolved {
  services?: {list: unknown[]; pointer: string}
  image?: string
  variables: Map<string, CiVariable>
  inherit?: Record<string, unknown>
  partial: boolean
}

function variableValue(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
  // The long form: {value: ..., description: ...}.
  if (isPlainObject(raw)) return variableValue(raw.value)
  return undefined
}

function variablesAt(block: unknown, pointer: string): Map<string, CiVariable> {
  const out = new Map<string, CiVariable>()
  if (!isPlainObject(block)) return out
  for (const [key, raw] of Object.entries(block)) {
    const value = variableValue(raw)
    if (value !== undefined) out.set(key, {value, pointer: pointer + encodePointer([key])})
  }
  return out
}

/** An `image:` value, short (`node:24`) or long (`{name: node:24}`). */
function imageName(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return isPlainObject(value) && typeof value.name === 'string' ? value.name : undefined
}

function serviceOf(entry: unknown, pointer: string): CiService | undefined {
  if (typeof entry === 'string') return {image: entry, pointer, variables: new Map(), command: [], entrypoint: []}
  if (!isPlainObject(entry) || typeof entry.name !== 'string') return undefined
  return {
    image: entry.name,
    alias: typeof entry.alias === 'string' ? entry.alias : undefined,
    pointer,
    variables: variablesAt(entry.variables, `${pointer}/variables`),
    command: stringList(entry.command),
    entrypoint: stringList(entry.entrypoint),
  }
}

/** Whether `inherit:<kind>` lets `name` through: true, false, or a list of names. */
function inherits(inherit: Record<string, unknown> | undefined, kind: 'default' | 'variables', name: string): boolean {
  const rule = inherit?.[kind]
  if (rule === false) return false
  if (Array.isArray(rule)) return rule.includes(name)
  return true
}

export function readGitlabCi(data: Record<string, unknown>): CiConfig {
  const cache = new Map<string, Resolved>()

  // `extends` merges hashes key by key and replaces everything else; later templates win, the job itself last.
  const resolve = (name: string, depth: number, trail: string[]): Resolved => {
    const cached = cache.get(name)
    if (cached) return cached
    const definition = data[name]
    if (!isPlainObject(definition) || depth > MAX_EXTENDS_DEPTH || trail.includes(name)) return {variables: new Map(), partial: true}
    const base = encodePointer([name])
    const merged: Resolved = {variables: new Map(), partial: false}
    const parents =
      typeof definition.extends === 'string' ? [definition.extends] : Array.isArray(definition.extends) ? definition.extends : []
    for (const parent of parents) {
      if (typeof parent !== 'string') continue
      const from = resolve(parent, depth + 1, [...trail, name])
      if (from.services) merged.services = from.services
      if (from.image) merged.image = from.image
      for (const [k, v] of from.variables) merged.variables.set(k, v)
      if (from.inherit) merged.inherit = {...merged.inherit, ...from.inherit}
      merged.partial ||= from.partial
    }
    if (Array.isArray(definition.services)) merged.services = {list: definition.services, pointer: `${base}/services`}
    if (imageName(definition.image)) merged.image = imageName(definition.image)
    for (const [k, v] of variablesAt(definition.variables, `${base}/variables`)) merged.variables.set(k, v)
    if (isPlainObject(definition.inherit)) merged.inherit = {...merged.inherit, ...definition.inherit}
    cache.set(name, merged)
    return merged
  }

  const defaults = isPlainObject(data.default) ? data.default : {}
  const defaultServices = Array.isArray(defaults.services)
    ? {list: defaults.services, pointer: '/default/services'}
    : Array.isArray(data.services)
      ? {list: data.services, pointer: '/services'}
      : undefined
  const globalVariables = variablesAt(data.variables, '/variables')
  const defaultImage = imageName(defaults.image) ?? imageName(data.image)

  const jobs: CiJob[] = []
  for (const [name, definition] of Object.entries(data)) {
    if (GLOBAL_KEYWORDS.has(name) || name.startsWith('.') || !isPlainObject(definition)) continue
    const resolved = resolve(name, 0, [])
    const services = resolved.services ?? (inherits(resolved.inherit, 'default', 'services') ? defaultServices : undefined)
    const image = resolved.image ?? (inherits(resolved.inherit, 'default', 'image') ? defaultImage : undefined)
    const variables = new Map<string, CiVariable>()
    for (const [k, v] of globalVariables) if (inherits(resolved.inherit, 'variables', k)) variables.set(k, v)
    for (const [k, v] of resolved.variables) variables.set(k, v)
    jobs.push({
      name,
      pointer: encodePointer([name]),
      services: (services?.list ?? []).flatMap((entry, i) => serviceOf(entry, `${services!.pointer}/${i}`) ?? []),
      variables,
      ...(image ? {image} : {}),
      partial: resolved.partial,
    })
  }
  return {jobs, includes: data.include !== undefined}
}
