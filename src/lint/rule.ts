import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {parse as parseYaml} from 'yaml'

import {createAjv} from '../util/ajv.js'
import type {Severity} from './types.js'

export type RuleTarget = 'values' | 'config-toml' | 'gitlab-ci' | 'file'

export interface SchemaCheck {
  given: string
  schema: Record<string, unknown> | boolean
}

/** A rule whose code is its module `src/lint/rules/<id>.ts`: `given` and `options` are handed to it. */
export interface CodeCheck {
  given?: string
  options?: Record<string, unknown>
}

export interface Rule {
  id: string
  title: string
  target: RuleTarget
  severity: Severity
  category: string
  recommended: boolean
  executor?: string
  /** `cluster`: the rule judges the config against facts read from the cluster, so it runs only with lint --cluster. */
  requires?: 'cluster'
  /** Schema rules only: code rules keep their messages in their module. */
  message?: string
  rationale: string
  remediation: string
  references: string[]
  deprecated?: {replacedBy?: string}
  /** The severity `.runner-doctor.yaml` set for this rule: it overrides every finding's, the rule's own variants too. */
  configuredSeverity?: Severity
  check: SchemaCheck | CodeCheck
  /** Path of the YAML file the rule came from. */
  source: string
}

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    message: string,
  ) {
    super(`${file}: ${pointer ? `${pointer}: ` : ''}${message}`)
  }
}

export const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url))

/** package.json `homepage` (a test keeps them equal): the rule docs are linked from every finding. */
export const PROJECT_HOME = 'https://gitlab.com/runner-doctor/runner-doctor'

export function docsUrl(id: string): string {
  return `${PROJECT_HOME}/-/blob/main/docs/rules.md#${id}`
}

let cache: Rule[] | undefined

const CATALOG_URL = new URL('../rules.catalog.json', import.meta.url)
const VALIDATORS_URL = new URL('../rules.validators.cjs', import.meta.url)

type CompiledValidator = ((data: unknown) => boolean) & {errors?: unknown[] | null}
let validators: Record<string, CompiledValidator> | null | undefined

/** A rule schema compiled at build time, when the build is current (see compile-rules.ts). */
export async function precompiledValidator(id: string): Promise<CompiledValidator | undefined> {
  if (validators === undefined) {
    try {
      // require, not import(): the validators are CommonJS, and import() would start the ESM loader for one file.
      // The lint bundle, built after them, has its own CommonJS `require`, and esbuild inlines them there: no module
      // lookup and no second file to read at start-up.
      validators = (
        typeof require === 'function'
          ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require is what esbuild inlines
            require('../rules.validators.cjs')
          : createRequire(import.meta.url)(fileURLToPath(VALIDATORS_URL))
      ) as Record<string, CompiledValidator>
    } catch {
      validators = null
    }
  }
  return validators?.[validatorExportName(id)]
}

/** Rule ids are kebab-case; standalone validators are exported under identifier names. */
export function validatorExportName(id: string): string {
  return `v_${id.replaceAll('-', '_')}`
}

/** Size and modification time of each rule file: a cheap first test that the catalog was built from these files. */
export type RuleFileStamps = Record<string, [size: number, mtimeMs: number]>

export function stampsOf(dir: string): RuleFileStamps {
  const stamps: RuleFileStamps = {}
  for (const file of readdirSync(dir).sort()) {
    const info = statSync(join(dir, file))
    stamps[file] = [info.size, info.mtimeMs]
  }
  return stamps
}

/** Whether the files in `dir` are exactly those stamped, unchanged; stops at the first difference. */
function matchesStamps(dir: string, stamps: RuleFileStamps): boolean {
  const files = readdirSync(dir)
  if (files.length !== Object.keys(stamps).length) return false
  const prefix = withTrailingSeparator(dir)
  for (const file of files) {
    const stamp = Object.hasOwn(stamps, file) ? stamps[file] : undefined
    if (!stamp) return false
    const info = statSync(prefix + file)
    if (info.size !== stamp[0] || info.mtimeMs !== stamp[1]) return false
  }
  return true
}

const withTrailingSeparator = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep)

function compiledCatalog(dir: string): Rule[] | undefined {
  if (dir !== RULES_DIR || !existsSync(fileURLToPath(CATALOG_URL))) return undefined
  const catalog = JSON.parse(readFileSync(CATALOG_URL, 'utf8')) as {digest: string; stamps?: RuleFileStamps; rules: Rule[]}
  // A catalog built from other rule files than the ones on disk would check stale rules. Unchanged stamps prove it
  // without reading every file; touched files (a checkout, an editor) are compared by content.
  if (!(catalog.stamps && matchesStamps(dir, catalog.stamps)) && catalog.digest !== digestOf(dir)) return undefined
  // The parsed catalog is this call's own: its rules take their full paths in place rather than as copies.
  const prefix = withTrailingSeparator(dir)
  for (const rule of catalog.rules) rule.source = prefix + rule.source
  return catalog.rules
}

export function digestOf(dir: string): string {
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256')
  for (const file of readdirSync(dir).sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(dir, file)))
  return hash.digest('hex')
}

/** Loads every `rules/<id>.yaml`, each validated against `rules/rule.schema.json`. */
export async function loadRules(dir: string = RULES_DIR): Promise<Rule[]> {
  if (dir === RULES_DIR && cache) return cache
  const compiled = compiledCatalog(dir)
  if (compiled) return (cache = compiled)
  const ajv = await createAjv({allErrors: false})
  const metaSchema = JSON.parse(readFileSync(join(dir, 'rule.schema.json'), 'utf8'))
  const validate = ajv.compile(metaSchema)
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
  const rules = files.map((file) => {
    const path = join(dir, file)
    let raw: unknown
    try {
      raw = parseYaml(readFileSync(path, 'utf8'))
    } catch (error) {
      throw new RuleLoadError(path, '', `not valid YAML: ${(error as Error).message.split('\n')[0]}`)
    }
    if (!validate(raw)) {
      const err = validate.errors![0]
      throw new RuleLoadError(
        path,
        err.instancePath || '/',
        `${err.message ?? 'invalid'}` +
          (err.params && 'additionalProperty' in err.params ? ` (${String(err.params.additionalProperty)})` : ''),
      )
    }
    const data = raw as Omit<Rule, 'id' | 'source' | 'references' | 'recommended' | 'check'> & {
      id?: string
      references?: string[]
      recommended?: boolean
      check?: Rule['check']
    }
    const id = file.slice(0, -'.yaml'.length)
    if (data.id !== undefined && data.id !== id) throw new RuleLoadError(path, '/id', `id "${data.id}" must equal the file name "${id}"`)
    return {...data, id, check: data.check ?? {}, references: data.references ?? [], recommended: data.recommended ?? true, source: path}
  })
  if (dir === RULES_DIR) cache = rules
  return rules
}

export function isSchemaCheck(check: Rule['check']): check is SchemaCheck {
  return 'schema' in check
}
