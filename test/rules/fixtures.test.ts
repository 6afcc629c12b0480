import {readFileSync} from 'node:fs'
import {relative} from 'node:path'

import {
  type FixtureCase,
  fixtureOptions,
  type FixtureOptions,
  fixtureRuleIds,
  fixturesFor,
  lintFixture,
  readFixture,
} from '../../src/docs/fixtures.js'
import {analyzeText} from '../../src/inputs/detect.js'
import {loadRules, type Rule} from '../../src/lint/rule.js'
import type {Finding} from '../../src/lint/types.js'
import {NEWEST_CHART_VERSION} from '../../src/model/chart.js'

// Each fixture case runs with only its own rule enabled: the Polaris / Spectral testRule pattern.
// RD_RULE=<id> narrows the run to one rule while writing its fixtures.

interface ExpectedFinding {
  ruleId: string
  line: number
  column?: number
  pointer?: string
  messageIncludes?: string
  /** For a rule whose reports can be softer than its metadata's severity, or to pin the severity a case is shown at. */
  severity?: string
}

const EXPECTED_KEYS = new Set(['ruleId', 'line', 'column', 'pointer', 'messageIncludes', 'severity'])

const shown = (file: string) => relative(process.cwd(), file)

function readExpected(file: string): ExpectedFinding[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown
  if (!Array.isArray(data)) throw new Error(`${shown(file)}: must be a JSON array of findings.`)
  for (const [i, entry] of data.entries()) {
    const unknownKeys = Object.keys(entry as object).filter((k) => !EXPECTED_KEYS.has(k))
    if (unknownKeys.length > 0)
      throw new Error(`${shown(file)}: [${i}] has unknown keys ${unknownKeys.join(', ')} (allowed: ${[...EXPECTED_KEYS].join(', ')}).`)
    if (typeof (entry as ExpectedFinding).line !== 'number' || typeof (entry as ExpectedFinding).ruleId !== 'string')
      throw new Error(`${shown(file)}: [${i}] needs ruleId and line.`)
  }
  return data as ExpectedFinding[]
}

/** Whether the file holds something the rule looks at, so a silent valid case means the rule ran and passed. */
function ruleApplies(rule: Rule, fixture: FixtureCase, options: FixtureOptions): boolean {
  const analyzed = analyzeText(readFixture(fixture), {
    chartVersion: options.chartVersion ?? NEWEST_CHART_VERSION,
    chartVersionFromFlag: Boolean(options.chartVersion),
    runnerVersion: options.runnerVersion,
  })
  if (rule.target === 'file') return analyzed.kind !== 'skipped'
  return analyzed.targets.some((t) => t.type === rule.target)
}

const describeFinding = (f: Finding) => `${f.ruleId} ${f.line}:${f.column} ${f.pointer} ${f.message}`

const only = process.env.RD_RULE
const ruleIds = fixtureRuleIds().filter((id) => !only || id === only)
let rules: Map<string, Rule>

beforeAll(async () => {
  rules = new Map((await loadRules()).map((r) => [r.id, r]))
})

test('RD_RULE names a rule with fixtures', () => {
  if (only) expect(ruleIds).toEqual([only])
  expect(ruleIds.length).toBeGreaterThan(0)
})

describe.each(ruleIds)('%s', (ruleId) => {
  const {valid, invalid} = fixturesFor(ruleId)
  const ruleFor = () => {
    const rule = rules.get(ruleId)
    if (!rule) throw new Error(`test/fixtures/rules/${ruleId} has no rule: add rules/${ruleId}.yaml or rename the directory.`)
    return rule
  }

  test.each(invalid.map((c) => [c.name, c] as const))('invalid/%s is reported', async (_name, fixture) => {
    const rule = ruleFor()
    const result = await lintFixture(rule, fixture)
    const [file] = result.files
    expect(file.error).toBeUndefined()
    const active = file.findings.filter((f) => !f.suppressed)
    if (active.length === 0)
      throw new Error(
        `${shown(fixture.file)}: rule ${ruleId} reported nothing (file detected ` +
          `as ${file.kind}${file.skipped ? `, skipped: ${file.skipped}` : ''}).`,
      )
    expect(active.every((f) => f.ruleId === ruleId)).toBe(true)
    if (!fixture.expectedFile) return
    const expected = readExpected(fixture.expectedFile)
    const actual = active.map((f, i) => {
      const want = expected[i] ?? {}
      return Object.fromEntries(
        Object.keys(want).map((k) => [
          k,
          k === 'messageIncludes' ? (f.message.includes(want.messageIncludes!) ? want.messageIncludes : f.message) : f[k as keyof Finding],
        ]),
      )
    })
    if (active.length !== expected.length) {
      throw new Error(
        `${shown(fixture.expectedFile)}: expected ${expected.length} findings, ` +
          `got ${active.length}:\n${active.map(describeFinding).join('\n')}`,
      )
    }
    try {
      expect(actual).toEqual(expected)
    } catch (error) {
      ;(error as Error).message = `${shown(fixture.expectedFile)} does not match the findings:\n${(error as Error).message}`
      throw error
    }
  })

  test.each(valid.map((c) => [c.name, c] as const))('valid/%s is not reported', async (_name, fixture) => {
    const rule = ruleFor()
    const options = fixtureOptions(fixture)
    expect(ruleApplies(rule, fixture, options)).toBe(true)
    const result = await lintFixture(rule, fixture)
    const [file] = result.files
    expect(file.error).toBeUndefined()
    const active = file.findings.filter((f) => !f.suppressed)
    if (active.length > 0)
      throw new Error(`${shown(fixture.file)}: rule ${ruleId} reported a valid case:\n${active.map(describeFinding).join('\n')}`)
  })
})
