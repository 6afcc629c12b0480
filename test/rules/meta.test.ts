import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'

import {parse as parseYaml} from 'yaml'

import {fixtureRuleIds, fixturesFor, FIXTURES_DIR} from '../../src/docs/fixtures.js'
import {RULES_DOC} from '../../src/docs/rules-markdown.js'
import {execFileSync} from 'node:child_process'

import {isSchemaCheck, loadRules, type Rule, RULES_DIR} from '../../src/lint/rule.js'
import {RULE_MODULES} from '../../src/lint/rules/index.js'

// Keeps rule files, fixtures and docs in step. Every problem names the file to edit.

const KNOWN_PLACEHOLDERS = new Set(['key', 'value', 'runner', 'error', 'missing'])
const ruleFile = (id: string) => `rules/${id}.yaml`
let rules: Rule[]

beforeAll(async () => {
  // A rule that does not validate against rules/rule.schema.json fails here with its file and pointer.
  rules = await loadRules()
})

test('rules load and validate against rules/rule.schema.json', () => {
  expect(rules.length).toBeGreaterThan(0)
})

test('every rule id equals its file name', () => {
  const problems: string[] = []
  for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml'))) {
    const declared = (parseYaml(readFileSync(join(RULES_DIR, file), 'utf8')) as {id?: string}).id
    if (declared !== undefined && `${declared}.yaml` !== file)
      problems.push(`rules/${file}: id "${declared}" must equal the file name; rename the file or fix the id.`)
  }
  for (const rule of rules) if (basename(rule.source) !== `${rule.id}.yaml`) problems.push(`${rule.source}: loaded as "${rule.id}".`)
  expect(problems).toEqual([])
})

test('every rule has at least one valid and one invalid fixture', () => {
  const problems: string[] = []
  for (const rule of rules) {
    const {valid, invalid} = fixturesFor(rule.id)
    if (invalid.length === 0)
      problems.push(`test/fixtures/rules/${rule.id}/invalid/: add a .yaml or .toml case that ${ruleFile(rule.id)} reports.`)
    if (valid.length === 0)
      problems.push(`test/fixtures/rules/${rule.id}/valid/: add a .yaml or .toml case that ${ruleFile(rule.id)} does not report.`)
  }
  expect(problems).toEqual([])
})

test('every fixture directory belongs to a rule', () => {
  const ids = new Set(rules.map((r) => r.id))
  const orphans = fixtureRuleIds().filter((id) => !ids.has(id))
  expect(
    orphans.map((id) => `test/fixtures/rules/${id}/: no ${ruleFile(id)}; add the rule, or rename the directory (prefix _ to park it).`),
  ).toEqual([])
})

test('every expected.json and options.json sits beside a fixture case', () => {
  // A case renamed without its expected.json would silently lose its exact checks.
  const problems: string[] = []
  for (const id of fixtureRuleIds()) {
    const {valid, invalid} = fixturesFor(id)
    const claimed = new Set([...valid, ...invalid].flatMap((c) => [c.expectedFile, c.optionsFile]).filter(Boolean))
    for (const kind of ['valid', 'invalid'] as const) {
      const dir = join(FIXTURES_DIR, id, kind)
      if (!existsSync(dir)) continue
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const path = join(dir, file)
        if (!claimed.has(path))
          problems.push(
            `test/fixtures/rules/${id}/${kind}/${file}: no case of that name beside it; rename it to <case>.expected.json ` +
              `or <case>.options.json.`,
          )
        if (kind === 'valid' && file.endsWith('.expected.json'))
          problems.push(`test/fixtures/rules/${id}/${kind}/${file}: valid cases report nothing; move it to invalid/.`)
      }
    }
    const stray = readdirSync(join(FIXTURES_DIR, id)).filter((f) => f !== 'valid' && f !== 'invalid')
    for (const f of stray) problems.push(`test/fixtures/rules/${id}/${f}: fixtures go in valid/ or invalid/.`)
  }
  expect(problems).toEqual([])
})

test('every remediation ends with a period', () => {
  const problems = rules.filter((r) => !/\.\s*$/.test(r.remediation)).map((r) => `${ruleFile(r.id)}: remediation must end with a period.`)
  expect(problems).toEqual([])
})

test('message placeholders are ones the engine fills in', () => {
  const problems: string[] = []
  for (const rule of rules) {
    for (const m of (rule.message ?? '').matchAll(/\{\{\s*(\w*)\s*\}\}/g)) {
      if (!KNOWN_PLACEHOLDERS.has(m[1]))
        problems.push(
          `${ruleFile(rule.id)}: message placeholder {{${m[1]}}} is unknown ` +
            `(use ${[...KNOWN_PLACEHOLDERS].map((p) => `{{${p}}}`).join(', ')}).`,
        )
    }
  }
  expect(problems).toEqual([])
})

test('every rule appears in docs/rules.md', () => {
  const doc = existsSync(RULES_DOC) ? readFileSync(RULES_DOC, 'utf8') : ''
  const missing = rules
    .filter((r) => !doc.includes(`### \`${r.id}\``))
    .map((r) => `docs/rules.md: no section for ${r.id}; run npm run docs.`)
  expect(missing).toEqual([])
})

test('every code rule has its module, and the module declares the id and target of its metadata', () => {
  const problems: string[] = []
  for (const rule of rules) {
    if (isSchemaCheck(rule.check)) continue
    const module = RULE_MODULES[rule.id]
    if (!module)
      problems.push(`src/lint/rules/${rule.id}.ts: missing; ${ruleFile(rule.id)} has no JSON-Schema check, so its code lives there.`)
    else {
      if (module.id !== rule.id) problems.push(`src/lint/rules/${rule.id}.ts: declares id "${module.id}"; it must be "${rule.id}".`)
      if (module.target !== rule.target)
        problems.push(`src/lint/rules/${rule.id}.ts: declares target "${module.target}" but ${ruleFile(rule.id)} says "${rule.target}".`)
      if (Object.keys(module.messages).length === 0) problems.push(`src/lint/rules/${rule.id}.ts: has no messages.`)
    }
  }
  for (const id of Object.keys(RULE_MODULES))
    if (!rules.some((r) => r.id === id)) problems.push(`src/lint/rules/${id}.ts: no ${ruleFile(id)}.`)
  expect(problems).toEqual([])
})

test('src/lint/rules/index.ts is generated from the current rule files', () => {
  expect(() => execFileSync(process.execPath, ['scripts/generate-rule-index.mjs', '--check'], {stdio: 'pipe'})).not.toThrow()
})

test('every invalid fixture states its expected findings, as RuleTester requires', () => {
  const missing = fixtureRuleIds().flatMap((id) =>
    fixturesFor(id)
      .invalid.filter((c) => !c.expectedFile)
      .map((c) => `test/fixtures/rules/${id}/invalid/${c.name}: add ${c.name}.expected.json listing each finding (ruleId, line, column).`),
  )
  expect(missing).toEqual([])
})
