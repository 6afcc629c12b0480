import {spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {fixturesFor} from '../../src/docs/fixtures.js'
import {renderRulesMarkdown} from '../../src/docs/rules-markdown.js'
import {loadRules, type Rule} from '../../src/lint/rule.js'

const ROOT = join(import.meta.dirname, '..', '..')
const ENTRY_KEYS = ['category', 'docsUrl', 'id', 'rationale', 'recommended', 'references', 'remediation', 'severity', 'target', 'title']

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.cjs'), ...args], {
      cwd: ROOT,
      env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({code, stdout, stderr}))
  })
}

let rules: Rule[]

beforeAll(async () => {
  // The commands run from dist/: `npm test` builds first. Failing here is louder than skipping.
  for (const command of ['rules', 'explain']) {
    const path = join(ROOT, 'dist', 'commands', `${command}.js`)
    if (!existsSync(path)) throw new Error(`${path} is missing; run npm run build before these tests.`)
  }
  rules = await loadRules()
})

describe('runner-doctor rules', () => {
  test('--format json lists every rule with the documented fields, sorted by id', async () => {
    const run = await cli(['rules', '--format', 'json'])
    expect(run.code).toBe(0)
    const entries = JSON.parse(run.stdout) as Array<Record<string, unknown>>
    expect(entries.map((e) => e.id)).toEqual(rules.map((r) => r.id).sort())
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual(ENTRY_KEYS)
      expect(entry.docsUrl).toBe(`https://gitlab.com/runner-doctor/runner-doctor/-/blob/main/docs/rules.md#${String(entry.id)}`)
    }
    const privileged = entries.find((e) => e.id === 'toml-privileged')
    expect(privileged).toMatchObject({severity: 'error', category: 'security', target: 'config-toml', recommended: true})
  })

  test('--json prints the same array as --format json', async () => {
    const [json, format] = await Promise.all([cli(['rules', '--json']), cli(['rules', '--format', 'json'])])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(format.stdout))
  })

  test('--category and --target filter', async () => {
    const run = await cli(['rules', '--category', 'security', '--target', 'values', '--format', 'json'])
    expect(run.code).toBe(0)
    const ids = (JSON.parse(run.stdout) as Array<{id: string}>).map((e) => e.id)
    expect(ids).toEqual(
      rules
        .filter((r) => r.category === 'security' && r.target === 'values')
        .map((r) => r.id)
        .sort(),
    )
    expect(ids).toContain('values-legacy-privileged')
  })

  test('the table names each rule with its severity and category', async () => {
    const run = await cli(['rules', '--category', 'secrets'])
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+CATEGORY\s+TITLE$/)
    const secrets = rules.filter((r) => r.category === 'secrets')
    for (const rule of secrets)
      expect(
        lines.some((l) =>
          new RegExp(`^${rule.id}\\s+${rule.severity}\\s+secrets\\s+${rule.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(l),
        ),
      ).toBe(true)
    expect(run.stdout).toContain(`${secrets.length} rules.`)
  })

  test('--format markdown prints docs/rules.md', async () => {
    const run = await cli(['rules', '--format', 'markdown'])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(renderRulesMarkdown(rules))
  })

  test('an unknown category exits 2', async () => {
    const run = await cli(['rules', '--category', 'speed'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('speed')
  })
})

describe('runner-doctor explain', () => {
  test('shows the rule and its first invalid and valid fixtures verbatim, with what lint reports', async () => {
    const run = await cli(['explain', 'toml-privileged'])
    expect(run.code).toBe(0)
    const rule = rules.find((r) => r.id === 'toml-privileged')!
    const {valid, invalid} = fixturesFor('toml-privileged')
    expect(run.stdout.split('\n')[0]).toBe(`toml-privileged: ${rule.title}`)
    for (const text of [rule.rationale, rule.remediation, ...rule.references]) expect(run.stdout).toContain(text)
    expect(run.stdout).toContain(readFileSync(invalid[0].file, 'utf8').trimEnd())
    expect(run.stdout).toContain(readFileSync(valid[0].file, 'utf8').trimEnd())
    expect(run.stdout).toContain('-> line 11:5: runner "k8s-runner" runs every job container privileged')
  })

  test('--json returns the rule with both examples and the findings on the bad one', async () => {
    const run = await cli(['explain', 'toml-capacity-exceeded', '--json'])
    expect(run.code).toBe(0)
    const explanation = JSON.parse(run.stdout) as {
      id: string
      examples: {bad: {file: string; flags: string; findings: Array<{line: number; message: string}>}; good: {findings: unknown[]}}
    }
    expect(explanation.id).toBe('toml-capacity-exceeded')
    expect(explanation.examples.bad.file).toMatch(/^test\/fixtures\/rules\/toml-capacity-exceeded\/invalid\//)
    expect(explanation.examples.bad.flags).toContain('--capacity-cpu')
    expect(explanation.examples.bad.findings.length).toBeGreaterThan(0)
    expect(explanation.examples.good.findings).toEqual([])
  })

  test('an unknown id exits 2 with one line naming the closest id', async () => {
    const run = await cli(['explain', 'toml-privilegd'])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      'runner-doctor: Unknown rule "toml-privilegd". Did you mean "toml-privileged"? Run runner-doctor rules to list them all.\n',
    )
  })

  test('a missing id exits 2', async () => {
    const run = await cli(['explain'])
    expect(run.code).toBe(2)
  })
})
