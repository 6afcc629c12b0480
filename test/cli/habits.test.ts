// The habits users bring from ESLint and friends, tested on the built CLI as a user runs it: colour that follows
// the environment, --quiet, --max-warnings, wrapping only on a terminal, skipped files as one line, no silent
// empty run, a closed pipe, and `init` with a published schema.
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Ajv} from 'ajv'
import {parse as parseYaml} from 'yaml'

import {CONFIG_SCHEMA_FILE, configSchemaUrl, publishedConfigSchema} from '../../src/lint/config-schema.js'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const cli = join(root, 'bin', 'run.cjs')
const example = join(root, 'examples', 'gitlab-runner-values.yaml')
/** The example as a user types it from the clone's root: width tests must not depend on where the clone is. */
const typedExample = 'examples/gitlab-runner-values.yaml'
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string; files: string[]}
const ESC = '\u001B['
// eslint-disable-next-line no-control-regex -- ESC opens the colour sequences being removed
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '')

/** The environment of a plain shell: none of the variables these tests are about, whatever runs the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = {...process.env}
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'GITLAB_CI', 'CI', 'COLUMNS', 'TERM']) delete env[name]
  return {...env, ...extra}
}

function run(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? root,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000,
  })
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as in an interactive shell; `stty` sets its width. */
function runOnTerminal(args: string[], options: {columns?: number; env?: Record<string, string>} = {}) {
  const command = [process.execPath, cli, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  const sizing = options.columns === undefined ? '' : `stty cols ${options.columns} rows 50; `
  // script sets COLUMNS to the terminal's width itself, so the test's own values are set inside it.
  const assignments = Object.entries(options.env ?? {})
    .map(([name, value]) => `${name}='${value}' `)
    .join('')
  const result = spawnSync('script', ['-qec', `${sizing}${assignments}${command}`, '/dev/null'], {
    cwd: root,
    env: cleanEnv({TERM: 'xterm'}),
    encoding: 'utf8',
    timeout: 60_000,
  })
  return {code: result.status, output: result.stdout.replaceAll('\r\n', '\n')}
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'rd-habits-'))

describe('colour follows --color, FORCE_COLOR, NO_COLOR, GITLAB_CI and the terminal, in that order', () => {
  test.each([
    ['a pipe, nothing set', [], {}, false],
    ['FORCE_COLOR=1 on a pipe', [], {FORCE_COLOR: '1'}, true],
    ['FORCE_COLOR= (empty) on a pipe', [], {FORCE_COLOR: ''}, true],
    ['FORCE_COLOR=0 in a GitLab job', [], {FORCE_COLOR: '0', GITLAB_CI: 'true'}, false],
    ['FORCE_COLOR=false', [], {FORCE_COLOR: 'false', GITLAB_CI: 'true'}, false],
    ['a GitLab job (its log renders ANSI)', [], {GITLAB_CI: 'true'}, true],
    ['NO_COLOR in a GitLab job', [], {NO_COLOR: '1', GITLAB_CI: 'true'}, false],
    ['FORCE_COLOR over NO_COLOR', [], {NO_COLOR: '1', FORCE_COLOR: '1'}, true],
    ['--color over NO_COLOR', ['--color'], {NO_COLOR: '1'}, true],
    ['--no-color in a GitLab job', ['--no-color'], {GITLAB_CI: 'true', FORCE_COLOR: '3'}, false],
  ] as const)('%s', (_name, flags, env, coloured) => {
    const result = run(['lint', example, ...flags], {env})
    expect(result.code).toBe(1)
    expect(result.stdout.includes(ESC)).toBe(coloured)
    expect(stripAnsi(result.stdout)).toContain('toml-privileged')
  })

  test('a terminal gets colour, and NO_COLOR turns it off there too', () => {
    expect(runOnTerminal(['lint', example]).output).toContain(`${ESC}31merror`)
    expect(runOnTerminal(['lint', example], {env: {NO_COLOR: '1'}}).output).not.toContain(ESC)
  })

  test('reports written to files never hold colour, even when it is forced', () => {
    const out = join(tempDir(), 'report.txt')
    run(['lint', example, '--format', 'stylish', '--output-file', out], {env: {FORCE_COLOR: '1'}})
    expect(readFileSync(out, 'utf8')).not.toContain(ESC)
  })
})

describe('stylish lines fit the terminal, and are left whole on a pipe', () => {
  const longest = (text: string) =>
    Math.max(
      ...stripAnsi(text)
        .split('\n')
        .map((line) => [...line].length),
    )

  test('on a pipe nothing is wrapped or cut, whatever COLUMNS says', () => {
    const piped = run(['lint', example], {env: {COLUMNS: '60'}})
    expect(longest(piped.stdout)).toBeGreaterThan(100)
    expect(piped.stdout).toBe(run(['lint', example]).stdout)
  })

  test.each([50, 80, 120])('a terminal %i columns wide', (columns) => {
    const result = runOnTerminal(['lint', typedExample], {columns})
    expect(result.code).toBe(1)
    expect(longest(result.output)).toBeLessThanOrEqual(columns)
    expect(stripAnsi(result.output)).toContain('toml-privileged')
  })

  test('COLUMNS overrides the terminal width', () => {
    const result = runOnTerminal(['lint', typedExample], {columns: 200, env: {COLUMNS: '70'}})
    expect(longest(result.output)).toBeLessThanOrEqual(70)
    expect(longest(result.output)).toBeGreaterThan(50)
  })
})

describe('--quiet and --max-warnings', () => {
  test('--quiet reports errors only, in every format, and warnings no longer decide the exit code', () => {
    const loud = run(['lint', example, '--format', 'json'])
    const quiet = run(['lint', example, '--format', 'json', '--quiet'])
    const severities = (stdout: string) =>
      new Set(
        (JSON.parse(stdout) as {files: Array<{findings: Array<{severity: string}>}>}).files.flatMap((file) =>
          file.findings.map((finding) => finding.severity),
        ),
      )
    expect(severities(loud.stdout)).toEqual(new Set(['error', 'warning', 'info']))
    expect(severities(quiet.stdout)).toEqual(new Set(['error']))
    expect(JSON.parse(quiet.stdout).summary).toEqual(
      expect.objectContaining({warnings: 0, infos: 0, errors: JSON.parse(loud.stdout).summary.errors}),
    )
    expect(run(['lint', example, '--quiet']).stdout).not.toMatch(/\bwarning\b|\binfo\b/)

    const warningsOnly = join(tempDir(), 'values.yaml')
    writeFileSync(
      warningsOnly,
      'image:\n  tag: latest\nrunners:\n  config: |\n    [[runners]]\n      [runners.kubernetes]\n        image = "alpine:latest"\n',
    )
    const warned = run(['lint', warningsOnly, '--fail-on', 'warning'])
    expect(warned.code).toBe(1)
    expect(run(['lint', warningsOnly, '--fail-on', 'warning', '--quiet']).code).toBe(0)
  })

  test('--max-warnings N: more than N warnings is exit code 1 with a message, as in ESLint; N or fewer passes', () => {
    const json = JSON.parse(run(['lint', example, '--format', 'json']).stdout) as {summary: {warnings: number}}
    const warnings = json.summary.warnings
    expect(warnings).toBeGreaterThan(1)
    const over = run(['lint', example, '--fail-on', 'none', '--max-warnings', String(warnings - 1)])
    expect(over.code).toBe(1)
    expect(over.stderr).toBe(`runner-doctor found too many warnings (maximum: ${warnings - 1}, found: ${warnings}).\n`)
    expect(run(['lint', example, '--fail-on', 'none', '--max-warnings', String(warnings)]).code).toBe(0)
    expect(run(['lint', example, '--fail-on', 'none', '--max-warnings', '0', '--quiet']).code).toBe(0)
    // Errors still decide on their own: the limit never turns a failing run into a passing one.
    expect(run(['lint', example, '--max-warnings', '1000']).code).toBe(1)
  })

  test('a negative or non-numeric --max-warnings is a usage error (exit 2)', () => {
    for (const value of ['-1', 'many']) {
      const result = run(['lint', example, '--max-warnings', value])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/max-warnings/)
    }
  })
})

describe('skipped files and empty runs', () => {
  function repoWithManifests(count: number, withValues: boolean): string {
    const dir = tempDir()
    mkdirSync(join(dir, 'k8s'))
    for (let index = 0; index < count; index += 1) {
      writeFileSync(join(dir, 'k8s', `app-${index}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${index}\n`)
    }
    if (withValues) copyFileSync(example, join(dir, 'values.yaml'))
    return dir
  }

  test('skipped files are one summary line unless --verbose', () => {
    const dir = repoWithManifests(40, true)
    const quietRun = run(['lint', '.'], {cwd: dir})
    expect(quietRun.code).toBe(1)
    const skippedLines = quietRun.stdout.split('\n').filter((line) => /skipped/i.test(line) && !line.startsWith('✖'))
    expect(skippedLines).toEqual(['Skipped 40 files (40 × Kubernetes Deployment, not runner configuration); --verbose lists them.'])
    const verbose = run(['lint', '.', '--verbose'], {cwd: dir})
    expect(verbose.stdout.split('\n').filter((line) => /^k8s\/app-\d+\.yaml: skipped/.test(line))).toHaveLength(40)
  })

  test('no runner configuration in the paths is exit code 2, naming what was looked at; --allow-empty passes', () => {
    const dir = repoWithManifests(3, false)
    writeFileSync(join(dir, '.gitlab-ci.yml'), 'test:\n  script: [make test]\n')
    const empty = run(['lint', '.'], {cwd: dir})
    expect(empty.code).toBe(2)
    expect(empty.stdout).toBe('')
    expect(empty.stderr).toBe(
      'runner-doctor: No runner configuration found in .: found 3 files that are not runner configuration ' +
        'and 1 GitLab CI pipeline (name a pipeline to check it alone). Name the Helm values or config.toml ' +
        'files, or pass --allow-empty to accept a run with nothing to check.\n',
    )
    // A pipeline named on its own is checked for what it decides itself (its dind jobs), so that run is not empty.
    expect(run(['lint', '.gitlab-ci.yml'], {cwd: dir}).code).toBe(0)
    expect(run(['lint', 'k8s'], {cwd: dir}).stderr).toContain(
      'No runner configuration found in k8s: found 3 files that are not runner configuration.',
    )
    const emptyDir = join(dir, 'nothing-here')
    mkdirSync(emptyDir)
    expect(run(['lint', 'nothing-here'], {cwd: dir}).stderr).toContain(
      'No runner configuration found in nothing-here: found no .yaml, .yml, .toml or .tf file.',
    )
    const allowed = run(['lint', 'k8s', '--allow-empty', '--format', 'json'], {cwd: dir})
    expect(allowed.code).toBe(0)
    expect(JSON.parse(allowed.stdout).summary.skipped).toBe(3)
    expect(run(['lint', '-'], {cwd: dir}).code).toBe(2)
  })

  test('an empty run still writes its machine-readable reports, with exit code 2 in them, so pipeline artifacts parse', () => {
    const dir = repoWithManifests(2, false)
    const empty = run(['lint', 'k8s', '--format', 'codeclimate', '-o', 'cq.json', '--format', 'json'], {cwd: dir})
    expect(empty.code).toBe(2)
    expect(JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8'))).toEqual([])
    expect(JSON.parse(empty.stdout).summary.exitCode).toBe(2)
    expect(empty.stderr).toContain('No runner configuration found in k8s')
  })
})

test('a reader that closes the pipe early ends nothing worse than the output: no EPIPE crash', () => {
  const dir = tempDir()
  for (let index = 0; index < 300; index += 1) copyFileSync(example, join(dir, `values-${index}.yaml`))
  const command = `'${process.execPath}' '${cli}' lint . --format json | head -c 200 > /dev/null; echo "status=\${PIPESTATUS[0]}"`
  const result = spawnSync('bash', ['-c', command], {cwd: dir, env: cleanEnv(), encoding: 'utf8', timeout: 120_000})
  expect(result.stderr).not.toMatch(/EPIPE|Error|at /)
  expect(result.stdout.trim()).toBe('status=1')
})

describe('init', () => {
  test('writes a commented .runner-doctor.yaml that points editors at the published schema, and lint accepts it', () => {
    const dir = tempDir()
    const result = run(['init'], {cwd: dir})
    expect(result.code).toBe(0)
    const text = readFileSync(join(dir, '.runner-doctor.yaml'), 'utf8')
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${configSchemaUrl(pkg.version)}`)
    expect(configSchemaUrl(pkg.version)).toContain(`runner-doctor@${pkg.version}/${CONFIG_SCHEMA_FILE}`)
    expect(text.split('\n').filter((line) => line.startsWith('#')).length).toBeGreaterThan(15)

    const schema = JSON.parse(readFileSync(join(root, CONFIG_SCHEMA_FILE), 'utf8')) as Record<string, unknown>
    const validate = new Ajv({strict: false}).compile(schema)
    expect(validate(parseYaml(text) ?? {})).toBe(true)
    // Every commented example, uncommented, is valid too: the file teaches nothing the schema refuses.
    const uncommented = text
      .slice(text.indexOf('\n') + 1)
      .replace(/^# ?(?=\s*[\w-]+:|\s+- |\s+#)/gm, '')
      .replace(/^#(?=\s{2,})/gm, '')
    const parsed = parseYaml(uncommented.replace('rules: {}', 'rules:').replace('exemptions: []', 'exemptions:')) as Record<string, unknown>
    expect(Object.keys(parsed).sort()).toEqual(['capacity', 'chartVersion', 'exemptions', 'extends', 'rules', 'runnerVersion'])
    expect(validate(parsed)).toBe(true)

    copyFileSync(example, join(dir, 'values.yaml'))
    expect(run(['lint', 'values.yaml'], {cwd: dir}).code).toBe(1)
  })

  test('keeps an existing file (exit 2, one line) unless --force', () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.runner-doctor.yaml'), 'extends: all\n')
    const refused = run(['init'], {cwd: dir})
    expect(refused.code).toBe(2)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(refused.stderr).toContain('already exists; pass --force')
    expect(readFileSync(join(dir, '.runner-doctor.yaml'), 'utf8')).toBe('extends: all\n')
    expect(run(['init', '--force'], {cwd: dir}).code).toBe(0)
    expect(readFileSync(join(dir, '.runner-doctor.yaml'), 'utf8')).toContain('yaml-language-server')
  })

  test('the published schema is the one lint validates with, and the package ships it', () => {
    expect(JSON.parse(readFileSync(join(root, CONFIG_SCHEMA_FILE), 'utf8'))).toEqual(publishedConfigSchema())
    expect(pkg.files).toContain(CONFIG_SCHEMA_FILE.split('/')[0])
    const validate = new Ajv({strict: false}).compile(publishedConfigSchema())
    expect(validate({extends: 'all', rules: {'toml-privileged': 'warning'}})).toBe(true)
    expect(validate({rules: {'toml-privileged': 'fatal'}})).toBe(false)
    expect(validate({exemptions: [{rules: ['x']}]})).toBe(false)
    expect(validate({unknownKey: 1})).toBe(false)
  })
})
