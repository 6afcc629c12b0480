import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'

import {fuzzCaseArb, inputOf} from './support/cases.js'
import {trustFixtures} from './support/fixtures.js'
import {type CliRun, runCli, scratchDir} from './support/harness.js'
import {loadSeeds, REPO_ROOT} from './support/seeds.js'
import {SECRET_MARK} from './support/secrets.js'

const FORMAT_FILES = [
  ['stylish', 'out.txt'],
  ['sarif', 'out.sarif'],
  ['codeclimate', 'out.codeclimate.json'],
  ['junit', 'out.junit.xml'],
] as const

/** Runs lint with every format at once (JSON on stdout, the others to files) and returns all the text it wrote. */
async function lintAllFormats(paths: string[], dir: string, stdin?: Buffer): Promise<{run: CliRun; written: string}> {
  const args = [
    'lint',
    ...paths,
    ...FORMAT_FILES.flatMap(([format, file]) => ['--format', format, '-o', join(dir, file)]),
    '--format',
    'json',
    // Robustness, not the empty-run policy: regression fixtures that hold no runner configuration are still linted.
    '--allow-empty',
  ]
  const run = await runCli(args, {stdin, timeoutMs: 30_000})
  const written = FORMAT_FILES.map(([, file]) => readFileSync(join(dir, file), 'utf8')).join('\n')
  return {run, written}
}

function expectCleanRun(run: CliRun, written: string) {
  expect(run.signal).toBeNull()
  expect([0, 1, 2]).toContain(run.code)
  const report = JSON.parse(run.stdout) as {summary: {exitCode: number}}
  expect(report.summary.exitCode).toBe(run.code)
  expect(run.stderr).not.toMatch(/\n\s+at |\(node:\d+\)|Warning:/)
  for (const text of [run.stdout, run.stderr, written]) expect(text).not.toContain(SECRET_MARK)
  // With JSON on stdout, each unreadable file is one `path:line:col: message` line on stderr, and nothing else is.
  for (const line of run.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^.+:\d+:\d+: \S/)
}

describe('the CLI on generated, mutated and broken input', () => {
  const dir = join(scratchDir(), 'cli')
  mkdirSync(dir, {recursive: true})

  test('a handful of generated cases and every regression fixture, each in its own process, in every format', async () => {
    const seeds = loadSeeds()
    const generated = fc.sample(fuzzCaseArb(seeds.length), {seed: 4242, numRuns: 8}).map((c) => inputOf(c, seeds))
    const inputs = [...generated, ...trustFixtures()]
    for (const [n, input] of inputs.entries()) {
      const path = join(dir, `${n}-${input.name}`)
      writeFileSync(path, input.bytes)
      const {run, written} = input.viaStdin ? await lintAllFormats(['-'], dir, input.bytes) : await lintAllFormats([path], dir)
      expectCleanRun(run, written)
    }
  }, 120_000)

  test('unreadable inputs: one line each with file:line:col, exit 2, no stack trace, the good file still checked', async () => {
    const bad: Record<string, string | Buffer> = {
      'yaml-syntax.yaml': 'gitlabUrl: https://gitlab.example.com/\nrunnerToken: "glrt-SECRETSECRETSECRET123\n  broken: [\n',
      'toml-syntax.toml': 'concurrent = 1\n[[runners]]\n  token = glrt-SECRETSECRETSECRET123\n',
      'embedded-toml.yaml':
        'gitlabUrl: https://gitlab.example.com/\nrunners:\n  config: |\n    [[runners]]\n      token ' +
        '= "glrt-SECRETSECRETSECRET123" extra\n',
      'tab-indent.yaml': 'gitlabUrl: https://gitlab.example.com/\nrunners:\n\tsecret: glrt-SECRETSECRETSECRET123\n',
      'binary.yaml': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]),
    }
    for (const [name, content] of Object.entries(bad)) writeFileSync(join(dir, name), content)
    const good = join(REPO_ROOT, 'examples', 'gitlab-runner-values.yaml')
    const paths = [...Object.keys(bad).map((n) => join(dir, n)), join(dir, 'missing.yaml'), good]
    const {run, written} = await lintAllFormats(paths, dir)
    expectCleanRun(run, written)
    expect(run.code).toBe(2)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(paths.length - 1)
    const byFile = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l]))
    expect(byFile[join(dir, 'yaml-syntax.yaml')]).toMatch(/:\d+:\d+: /)
    expect(byFile[join(dir, 'toml-syntax.toml')]).toMatch(/toml-syntax\.toml:3:\d+: /)
    expect(byFile[join(dir, 'embedded-toml.yaml')]).toMatch(/embedded-toml\.yaml:5:\d+: runners\.config: /)
    expect(byFile[join(dir, 'tab-indent.yaml')]).toMatch(/tab-indent\.yaml:3:\d+: /)
    expect(byFile[join(dir, 'binary.yaml')]).toMatch(/binary\.yaml:1:1: Binary file: not YAML or TOML\.$/)
    expect(byFile[join(dir, 'missing.yaml')]).toMatch(/missing\.yaml:1:1: No such file or directory\.$/)
    const report = JSON.parse(run.stdout) as {files: Array<{path: string; findings: unknown[]; error?: unknown}>}
    const checked = report.files.find((f) => f.path === good)!
    expect(checked.error).toBeUndefined()
    expect(checked.findings.length).toBeGreaterThan(0)
  })

  test('stylish on stdout shows the same file:line:col lines without echoing the bad line', async () => {
    const path = join(dir, 'secret-on-bad-line.yaml')
    writeFileSync(path, 'gitlabUrl: https://gitlab.example.com/\nrunnerToken: "glrt-SECRETSECRETSECRET123" trailing\n')
    const run = await runCli(['lint', path])
    expect(run.code).toBe(2)
    expect(run.stdout + run.stderr).not.toContain(SECRET_MARK)
    expect(run.stdout + run.stderr).toMatch(/secret-on-bad-line\.yaml:2:\d+: \S/)
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })
})
