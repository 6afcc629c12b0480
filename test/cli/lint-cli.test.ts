import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

// These run the built CLI (npm test builds first), as a user would.
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const cli = join(root, 'bin', 'run.cjs')
const example = join(root, 'examples', 'gitlab-runner-values.yaml')

function run(args: string[], options: {cwd?: string; input?: string} = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? root,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  })
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rd-cli-'))
}

test('exit 1 on the example, 0 with --fail-on none, findings on stdout', () => {
  const failing = run(['lint', 'examples/'])
  expect(failing.code).toBe(1)
  expect(failing.stdout).toContain('34:9')
  expect(failing.stdout).toContain('toml-privileged')
  expect(failing.stdout).not.toContain('glrt-YOUR_TOKEN_HERE')
  expect(run(['lint', 'examples/', '--fail-on', 'none']).code).toBe(0)
})

test('formats pair in order with --output-file; the unpaired one goes to stdout', () => {
  const dir = tempDir()
  const cq = join(dir, 'gl-code-quality-report.json')
  const junit = join(dir, 'junit.xml')
  const r = run([
    'lint',
    example,
    '--format',
    'codeclimate',
    '--output-file',
    cq,
    '--format',
    'junit',
    '--output-file',
    junit,
    '--format',
    'json',
  ])
  expect(r.code).toBe(1)
  const report = JSON.parse(readFileSync(cq, 'utf8')) as Array<{check_name: string; location: {path: string; lines: {begin: number}}}>
  expect(report.find((i) => i.check_name === 'toml-privileged')?.location).toEqual(
    expect.objectContaining({path: 'examples/gitlab-runner-values.yaml', lines: expect.objectContaining({begin: 34})}),
  )
  expect(readFileSync(junit, 'utf8')).toContain('<testsuites')
  expect(JSON.parse(r.stdout).summary.exitCode).toBe(1)
})

test('stdin is read with -', () => {
  const r = run(['lint', '-', '--format', 'json'], {input: readFileSync(example, 'utf8')})
  const doc = JSON.parse(r.stdout)
  expect(doc.files[0]).toMatchObject({path: '-', kind: 'helm-values'})
  expect(r.code).toBe(1)
})

test('.runner-doctor.yaml is found upward: severities, exemptions with reasons, capacity', () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'clusters', 'build'), {recursive: true})
  copyFileSync(example, join(dir, 'clusters', 'build', 'values.yaml'))
  writeFileSync(
    join(dir, '.runner-doctor.yaml'),
    [
      'rules:',
      '  toml-image-unpinned: error',
      '  values-manager-resources-missing: off',
      'exemptions:',
      '  - rules: [toml-privileged]',
      '    files: ["clusters/build/*.yaml"]',
      '    reason: dind on the isolated build pool',
      'capacity:',
      '  cpu: "16"',
      '',
    ].join('\n'),
  )
  const r = run(['lint', 'clusters', '--format', 'json'], {cwd: dir})
  const file = JSON.parse(r.stdout).files[0]
  const byId = (id: string) => file.findings.filter((f: {ruleId: string}) => f.ruleId === id)
  expect(byId('toml-image-unpinned')[0].severity).toBe('error')
  expect(byId('values-manager-resources-missing')).toHaveLength(0)
  expect(byId('toml-privileged')[0].suppressed).toEqual({by: 'config', reason: 'dind on the isolated build pool'})
  // 20 jobs × 1.5 CPU = 30 CPU requested, more than the 16 stated
  expect(byId('toml-capacity-exceeded')[0].message).toContain('30 CPU')
  expect(file.capacity.clusterCapacity).toEqual({cpuMillicores: 16000})
})

test('an invalid .runner-doctor.yaml is one line with file:line:col, exit 2, no stack', () => {
  const dir = tempDir()
  copyFileSync(example, join(dir, 'values.yaml'))
  writeFileSync(join(dir, '.runner-doctor.yaml'), 'rules:\n  toml-privileged: fatal\n')
  const r = run(['lint', 'values.yaml'], {cwd: dir})
  expect(r.code).toBe(2)
  expect(r.stderr.trim()).toMatch(/\.runner-doctor\.yaml:2:3: rules\.toml-privileged must be equal to one of the allowed values\.$/)
  expect(r.stderr).not.toMatch(/\n\s+at /)
})

test('inline suppressions need a reason', () => {
  const dir = tempDir()
  const text = readFileSync(example, 'utf8')
    .replace(
      '        privileged = true',
      '        # runner-doctor-disable-next-line toml-privileged -- dind on the isolated build pool\n        privileged = true',
    )
    .replace(
      '        image = "alpine:latest"',
      '        # runner-doctor-disable-next-line toml-image-unpinned\n        image = "alpine:latest"',
    )
  writeFileSync(join(dir, 'values.yaml'), text)
  const file = JSON.parse(run(['lint', 'values.yaml', '--format', 'json'], {cwd: dir}).stdout).files[0]
  const privileged = file.findings.find((f: {ruleId: string}) => f.ruleId === 'toml-privileged')
  expect(privileged.suppressed).toEqual({by: 'inline', reason: 'dind on the isolated build pool'})
  expect(file.findings.find((f: {ruleId: string}) => f.ruleId === 'toml-image-unpinned').suppressed).toBeUndefined()
  expect(file.findings.some((f: {ruleId: string}) => f.ruleId === 'suppression-without-reason')).toBe(true)
  const ignored = JSON.parse(run(['lint', 'values.yaml', '--format', 'json', '--no-inline-config'], {cwd: dir}).stdout).files[0]
  expect(ignored.findings.find((f: {ruleId: string}) => f.ruleId === 'toml-privileged').suppressed).toBeUndefined()
})

test('a binary file given by name is an error that names it; the others are still checked', () => {
  const dir = tempDir()
  writeFileSync(join(dir, 'blob.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
  const r = run(['lint', join(dir, 'blob.yaml'), example])
  expect(r.code).toBe(2)
  expect(r.stdout).toContain(`${join(dir, 'blob.yaml')}:1:1: Binary file: not YAML or TOML.`)
  expect(r.stdout).toContain('toml-privileged')
})

test('usage errors exit 2 with one line', () => {
  const r = run(['lint', example, '--format', 'xml'])
  expect(r.code).toBe(2)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  const q = run(['lint', example, '--capacity-cpu', 'lots'])
  expect(q.code).toBe(2)
  expect(q.stderr).toContain('--capacity-cpu "lots" is not a Kubernetes quantity')
})

test('a .gitlab-ci.yml is checked against the runner config of the same run, whichever order the files come in', () => {
  const dir = tempDir()
  writeFileSync(
    join(dir, '.gitlab-ci.yml'),
    [
      'build:',
      '  image: docker:27',
      '  services:',
      '    - docker:27-dind',
      '  variables:',
      '    DOCKER_HOST: tcp://docker:2375',
      '  script:',
      '    - docker build .',
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(dir, 'values.yaml'),
    [
      'gitlabUrl: https://gitlab.example.com',
      'runners:',
      '  config: |',
      '    [[runners]]',
      '      name = "shared"',
      '      [runners.kubernetes]',
      '        namespace = "ci"',
      '',
    ].join('\n'),
  )
  const findingsOf = (stdout: string) =>
    (
      JSON.parse(stdout) as {files: Array<{path: string; kind: string; findings: Array<{ruleId: string; line: number; message: string}>}>}
    ).files.find((f) => f.path.endsWith('.gitlab-ci.yml'))!
  for (const order of [
    ['.gitlab-ci.yml', 'values.yaml'],
    ['values.yaml', '.gitlab-ci.yml'],
  ]) {
    const r = run(['lint', ...order, '--format', 'json'], {cwd: dir})
    expect(r.code).toBe(1)
    const ci = findingsOf(r.stdout)
    expect(ci.kind).toBe('gitlab-ci')
    expect(ci.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['4 ci-dind-runner-not-privileged', '6 ci-dind-tls-port-mismatch'])
    expect(ci.findings[0].message).toContain('runner "shared" (values.yaml)')
  }
  // Alone, only what the file itself decides is checked: the port, not the runner's privileges. The TLS default is
  // then an assumption (the runner's environment could turn it off), so it warns instead of failing the run.
  const aloneRun = run(['lint', '.gitlab-ci.yml', '--format', 'json'], {cwd: dir})
  const alone = findingsOf(aloneRun.stdout) as unknown as {findings: Array<{ruleId: string; severity: string}>}
  expect(alone.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['ci-dind-tls-port-mismatch warning'])
  expect(aloneRun.code).toBe(0)
})

test('without a build (no dist/), lint says what to run, in one line with exit 2', () => {
  const dir = tempDir()
  mkdirSync(join(dir, 'bin'))
  copyFileSync(cli, join(dir, 'bin', 'run.cjs'))
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'run.cjs'), 'lint', example], {encoding: 'utf8', timeout: 60_000})
  expect(r.status).toBe(2)
  expect(r.stderr).toBe('runner-doctor: dist/ is missing or incomplete: run `npm ci` (or `npm run build`) first.\n')
})
