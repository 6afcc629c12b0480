import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

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
      return {ruleId, kind, name, file: join(dir, fileName), language: extname(fileName) === '.toml' ? 'toml' : 'yaml', expectedFile: sibling('.expected.json'), optionsFile: sibling('.options.json')}
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
