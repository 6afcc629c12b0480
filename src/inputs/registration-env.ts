import {createRequire} from 'node:module'

import {isPlainObject} from '../model/chart.js'
import {isSecretKey} from '../model/secrets.js'
import type {Span} from './position.js'
import type {TomlTarget} from './targets.js'
import {encodePointer} from './yaml-source.js'

/**
 * Runner configuration written as the environment variables `gitlab-runner register` reads (a ConfigMap of
 * `KUBERNETES_PRIVILEGED: "true"`, `RUNNER_EXECUTOR`, ... passed with envFrom, or a container's `env`). Each variable
 * is a flag of the register command that writes one config.toml key; the table, read from the runner's source,
 * says which (registration-env.json names the commit and how it was read).
 */
type ValueType = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'list' | 'commaList' | 'map' | 'boolMap' | 'intMap'

interface RegistrationTable {
  variables: Map<string, readonly [path: string, type: ValueType]>
  registerOnly: Set<string>
}

let loaded: RegistrationTable | undefined

/**
 * The table is read when a file first needs it: most files set no such variable, and as a 27 KB object literal in the
 * lint bundle it was built and kept at every start-up. There, the CommonJS `require` of the bundle is defined and
 * esbuild inlines the JSON behind it, evaluated on that first call; as an ES module, the file is read from disk.
 */
function registrationTable(): RegistrationTable {
  if (!loaded) {
    const table = (
      typeof require === 'function'
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require is what esbuild inlines
          require('./registration-env.json')
        : createRequire(import.meta.url)('./registration-env.json')
    ) as typeof import('./registration-env.json')
    loaded = {
      variables: new Map(
        Object.entries(table.variables as Record<string, string[]>).map(([name, [path, type]]) => [
          name,
          [path, type as ValueType] as const,
        ]),
      ),
      registerOnly: new Set(table.registerOnly),
    }
  }
  return loaded
}

/** One variable as written, and where its name is in the file. */
export interface EnvEntry {
  name: string
  value: unknown
  span: Span
}

// Variables that alone say "this sets up a runner" (a CI_SERVER_URL may belong to any GitLab client).
const DECISIVE = new Set(['RUNNER_EXECUTOR', 'CI_SERVER_TOKEN'])

/**
 * Whether a set of variable names is runner registration: an executor or runner token, a variable only the register
 * command reads, or at least two config.toml variables of which one is the GitLab URL or an executor's setting.
 */
export function isRegistrationEnv(names: Iterable<string>): boolean {
  const table = registrationTable()
  const mapped: string[] = []
  let registerOnly = false
  for (const name of names) {
    if (DECISIVE.has(name)) return true
    if (table.registerOnly.has(name)) registerOnly = true
    if (table.variables.has(name)) mapped.push(name)
  }
  if (mapped.length === 0) return false
  if (registerOnly) return true
  return mapped.length >= 2 && mapped.some((name) => name === 'CI_SERVER_URL' || /^(KUBERNETES|DOCKER)_/.test(name))
}

// strconv.ParseBool, which the flag parser uses.
const TRUE = /^(1|t|T|TRUE|true|True)$/
const FALSE = /^(0|f|F|FALSE|false|False)$/

/** The value the runner would write to config.toml; text it would refuse stays text, for the type rules to name. */
function typedValue(text: string, type: ValueType): unknown {
  switch (type) {
    case 'bool':
      return TRUE.test(text) ? true : FALSE.test(text) ? false : text
    case 'int':
      return /^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : text
    case 'float':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text.trim()) : text
    case 'list':
      return [text]
    case 'commaList':
      return text.split(',').map((item) => item.trim())
    case 'map':
    case 'boolMap':
    case 'intMap': {
      const colon = text.indexOf(':')
      if (colon <= 0) return text
      const item = text.slice(colon + 1)
      return {[text.slice(0, colon)]: type === 'map' ? item : typedValue(item, type === 'boolMap' ? 'bool' : 'int')}
    }
    default:
      return text
  }
}

function setPath(root: Record<string, unknown>, segments: string[], value: unknown): void {
  let node = root
  for (const segment of segments.slice(0, -1)) {
    if (!isPlainObject(node[segment])) node[segment] = {}
    node = node[segment] as Record<string, unknown>
  }
  node[segments.at(-1)!] = value
}

export interface EnvPlacement {
  pointerBase: string
  docIndex: number
  /** Where findings about the runner as a whole go: the `data:` or `env:` key. */
  whole: Span
  runnerVersion?: string
  /** A Secret is the right home for credentials: they are left out, so no rule calls them leaked. */
  leaveOutSecrets?: boolean
}

/** The [[runners]] entry variables write, and the span of each variable by the pointer of the key it sets. */
export interface EnvRunner {
  runner: Record<string, unknown>
  spans: Map<string, Span>
}

/** Undefined when no variable sets a config.toml key. */
export function envRunner(entries: EnvEntry[], leaveOutSecrets = false): EnvRunner | undefined {
  const runner: Record<string, unknown> = {}
  const spans = new Map<string, Span>()
  for (const {name, value, span} of entries) {
    const variable = registrationTable().variables.get(name)
    if (!variable || value === null || value === undefined) continue
    const text = typeof value === 'string' ? value : String(value)
    // An empty variable leaves the flag at its default (the chart's templates write "" for every unset one).
    if (text === '') continue
    const [path, type] = variable
    const segments = path.split('/')
    if (leaveOutSecrets && (isSecretKey(segments.at(-1)!) || segments.at(-1) === 'token')) continue
    setPath(runner, segments, typedValue(text, type))
    spans.set(`/runners/0${encodePointer(segments)}`, span)
  }
  return spans.size === 0 ? undefined : {runner, spans}
}

/**
 * The span of the variable that sets the key at `pointer` or a table above it; with `intoTables`, also the first
 * variable that writes into it (a table such as `[runners.kubernetes]` the variables alone make up).
 */
export function envSpanOf(env: EnvRunner, pointer: string, intoTables: boolean): Span | undefined {
  const byLine = intoTables
    ? [...env.spans.entries()].sort(([, a], [, b]) => a.start.line - b.start.line || a.start.column - b.start.column)
    : []
  for (let p = pointer; p.startsWith('/runners/0/'); p = p.slice(0, p.lastIndexOf('/'))) {
    const span = env.spans.get(p) ?? byLine.find(([q]) => q.startsWith(`${p}/`))?.[1]
    if (span) return span
  }
  return undefined
}

/**
 * The config.toml target the variables amount to: one [[runners]] entry. A position asked for a key maps to the line
 * of the variable that sets it (or that sets something below it); anything else to `whole`. Undefined when no
 * variable sets a config.toml key.
 */
export function registrationEnvTarget(entries: EnvEntry[], placement: EnvPlacement): TomlTarget | undefined {
  const env = envRunner(entries, placement.leaveOutSecrets)
  if (!env) return undefined
  return {
    type: 'config-toml',
    data: {runners: [env.runner]},
    pointerBase: placement.pointerBase,
    docIndex: placement.docIndex,
    // A key no variable sets is placed with its table's variables.
    locate: (pointer) => envSpanOf(env, pointer, true) ?? placement.whole,
    fromChartDefault: false,
    templateNotes: [],
    runnerVersion: placement.runnerVersion,
  }
}

/** `over` merged onto `base` as new objects: register keeps what a variable sets and takes the rest from the template. */
function mergedOver(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {...base}
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(base[key]) ? mergedOver(base[key], value) : value
  }
  return out
}

/**
 * The chart's `envVars` are set when the chart runs `gitlab-runner register --template-config` on runners.config:
 * register merges the template into what the variables set (mergo.Merge in commands/register.go), so a variable wins.
 * The target's single [[runners]] entry gets them, and a key a variable sets is placed at that variable.
 */
export function withRegistrationEnv(target: TomlTarget, entries: EnvEntry[]): TomlTarget {
  const runners = target.data.runners
  const env = envRunner(entries)
  // The chart's template must hold exactly one [[runners]] entry (register refuses any other).
  if (!env || !Array.isArray(runners) || runners.length !== 1 || !isPlainObject(runners[0])) return target
  const tomlLocate = target.locate
  return {
    ...target,
    data: {...target.data, runners: [mergedOver(runners[0], env.runner)]},
    locate: (pointer) => envSpanOf(env, pointer, false) ?? tomlLocate(pointer),
  }
}
