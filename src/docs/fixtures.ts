import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {CONFIG_FILE_NAME} from '../lint/config.js'
import type {Rule} from '../lint/rule.js'
import type {ClusterFacts, ClusterSource} from '../model/cluster/facts.js'
import {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, lint, type LintOptions} from '../lint/run.js'
import type {LintResult} from '../lint/types.js'
import {parseQuantity} from '../model/quantity.js'

/** Shipped with the package (package.json `files`) so `explain` and the docs can show real examples. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../test/fixtures/rules/', import.meta.url))

export type FixtureKind = 'valid' | 'invalid'

const FIXTURE_EXTENSIONS = new Set(['.yaml', '.yml', '.toml'])

/** One fixture file: `<rule>/<kind>/<name>.<ext>` with optional `<name>.expected.json` and `<name>.options.json`. */
export interface FixtureCase {
  ruleId: string
  kind: FixtureKind
  /** File name without extension. */
  name: string
  file: string
  language: 'yaml' | 'toml'
  expectedFile?: string
  optionsFile?: string
}

export interface RuleFixtures {
  valid: FixtureCase[]
  invalid: FixtureCase[]
}

function casesIn(dir: string, ruleId: string, kind: FixtureKind): FixtureCase[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isFile() && FIXTURE_EXTENSIONS.has(extname(e.name)) && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort()
    .map((fileName) => {
      const name = fileName.slice(0, -extname(fileName).length)
      const sibling = (suffix: string) => (existsSync(join(dir, `${name}${suffix}`)) ? join(dir, `${name}${suffix}`) : undefined)
      return {
        ruleId,
        kind,
        name,
        file: join(dir, fileName),
        language: extname(fileName) === '.toml' ? 'toml' : 'yaml',
        expectedFile: sibling('.expected.json'),
        optionsFile: sibling('.options.json'),
      }
    })
}

/** Rule ids that have a fixture directory; directories starting with `_` are skipped (work in progress). */
export function fixtureRuleIds(root: string = FIXTURES_DIR): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, {withFileTypes: true})
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort()
}

export function fixturesFor(ruleId: string, root: string = FIXTURES_DIR): RuleFixtures {
  return {valid: casesIn(join(root, ruleId, 'valid'), ruleId, 'valid'), invalid: casesIn(join(root, ruleId, 'invalid'), ruleId, 'invalid')}
}

export function readFixture(fixture: FixtureCase): string {
  return readFileSync(fixture.file, 'utf8')
}

export const FIXTURE_OPTION_KEYS = ['capacityCpu', 'capacityMemory', 'servicesPerJob', 'chartVersion', 'runnerVersion', 'cluster'] as const
export type FixtureOptions = Partial<Pick<LintOptions, (typeof FIXTURE_OPTION_KEYS)[number]>>

export class FixtureError extends Error {}

/** `<case>.options.json`: lint options for the case; quantities may be written as on the command line ("16Gi"). */
export function fixtureOptions(fixture: FixtureCase): FixtureOptions {
  if (!fixture.optionsFile) return {}
  const data = JSON.parse(readFileSync(fixture.optionsFile, 'utf8')) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if (!(FIXTURE_OPTION_KEYS as readonly string[]).includes(key))
      throw new FixtureError(`${fixture.optionsFile}: unknown option "${key}" (allowed: ${FIXTURE_OPTION_KEYS.join(', ')}).`)
    if (key === 'capacityCpu' || key === 'capacityMemory') {
      const parsed = parseQuantity(value)
      if (parsed === undefined) throw new FixtureError(`${fixture.optionsFile}: ${key} "${String(value)}" is not a Kubernetes quantity.`)
      out[key] = parsed
    } else if (key === 'cluster') {
      // Cluster facts as lint --cluster reads them, recorded: the cluster rules' fixtures run offline.
      const facts = value as ClusterFacts
      out.cluster = {runnerNamespace: facts.runnerNamespace, facts: () => Promise.resolve(facts)} satisfies ClusterSource
    } else out[key] = value
  }
  return out as FixtureOptions
}

const camelToFlag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/** The case's options as the lint flags a reader would pass, e.g. `--capacity-cpu 16`. */
export function fixtureFlags(fixture: FixtureCase): string {
  if (!fixture.optionsFile) return ''
  const options = JSON.parse(readFileSync(fixture.optionsFile, 'utf8')) as Record<string, unknown>
  return Object.entries(options)
    .map(([k, v]) => (k === 'cluster' ? '--cluster' : `${camelToFlag(k)} ${String(v)}`))
    .join(' ')
}

/**
 * Lints one fixture with only `rule` enabled, as the fixture tests do: inline suppressions honoured, the fixtures'
 * own .runner-doctor.yaml so no configuration further up applies, and the case's options.
 */
export function lintFixture(rule: Rule, fixture: FixtureCase, root: string = FIXTURES_DIR): Promise<LintResult> {
  return lint({
    paths: [fixture.file],
    cwd: dirname(fixture.file),
    failOn: 'info',
    configPath: join(root, CONFIG_FILE_NAME),
    inlineConfig: true,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    maxFiles: DEFAULT_MAX_FILES,
    readStdin: () => Promise.reject(new FixtureError('Fixtures are files; nothing reads stdin.')),
    // Rules that are not recommended are tested and shown like the others.
    rules: [{...rule, recommended: true}],
    ...fixtureOptions(fixture),
  })
}
