// End to end: a consumer project includes the lint component the way the README shows, gitlab-ci-local
// (shell executor, no network at all) resolves it and runs the job with the checked-out CLI, and the
// reports the job leaves behind are what GitLab ingests.
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {checkedOutCli, fixturesDir, gitlabCiLocal, jobOutcome, makeConsumerRepo, repoRoot, run} from './component.js'

const runnerValues = readFileSync(join(fixturesDir, 'runner-values.yaml'), 'utf8')
const cleanValues = readFileSync(join(fixturesDir, 'clean-values.yaml'), 'utf8')
const junitSchema = join(repoRoot, 'test/fixtures/formatters/junit.xsd')
const codeQualitySeverities = ['info', 'minor', 'major', 'critical', 'blocker']

let shimDir: string
let jobEnv: NodeJS.ProcessEnv
const consumerDirs: string[] = []

beforeAll(() => {
  shimDir = mkdtempSync(join(tmpdir(), 'rd-cli-shim-'))
  jobEnv = checkedOutCli(shimDir)
})

afterAll(() => {
  for (const dir of [shimDir, ...consumerDirs]) if (dir) rmSync(dir, {recursive: true, force: true})
})

async function consumer(pipeline: string, files: Record<string, string>): Promise<string> {
  const dir = await makeConsumerRepo({'.gitlab-ci.yml': pipeline, ...files})
  consumerDirs.push(dir, `${dir}-state`)
  return dir
}

function runJob(dir: string, job: string, extra: string[] = []) {
  // The component's job names an image; the shell executor stands in for it (no container engine here).
  // gitlab-ci-local's state (with a copy of the checkout) goes beside the repository, not into it,
  // so `files: .` sees the checkout as a GitLab job would.
  return gitlabCiLocal(dir, ['--force-shell-executor', '--state-dir', `../${basename(dir)}-state`, ...extra, job], jobEnv)
}

interface CodeQualityIssue {
  description: string
  check_name: string
  fingerprint: string
  severity: string
  location: {path: string; lines?: {begin: number}; positions?: {begin: {line: number}}}
}

function readCodeQuality(dir: string): CodeQualityIssue[] {
  const raw = readFileSync(join(dir, 'gl-code-quality-report.json'))
  expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false)
  const report = JSON.parse(raw.toString('utf8'))
  expect(Array.isArray(report)).toBe(true)
  for (const issue of report as CodeQualityIssue[]) {
    expect(typeof issue.description).toBe('string')
    expect(typeof issue.check_name).toBe('string')
    expect(typeof issue.fingerprint).toBe('string')
    expect(codeQualitySeverities).toContain(issue.severity)
    expect(typeof issue.location.path).toBe('string')
    expect(issue.location.path.startsWith('/')).toBe(false)
    expect(issue.location.path.startsWith('..')).toBe(false)
    const line = issue.location.lines?.begin ?? issue.location.positions?.begin.line
    expect(Number.isInteger(line)).toBe(true)
  }
  return report
}

async function expectValidJunit(dir: string): Promise<string> {
  const file = join(dir, 'runner-doctor-junit.xml')
  const result = await run('xmllint', ['--noout', '--schema', junitSchema, file], {cwd: dir})
  expect(result.stderr).toContain('validates')
  expect(result.code).toBe(0)
  return readFileSync(file, 'utf8')
}

const fourLinePipeline = `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA
    inputs:
      files: values.yaml
`

test('the four-line include runs the lint job offline and leaves a Code Quality report and a JUnit file GitLab ingests', async () => {
  expect(fourLinePipeline.trim().split('\n')).toHaveLength(4)
  const dir = await consumer(fourLinePipeline, {'values.yaml': runnerValues})
  const result = await runJob(dir, 'runner-doctor-lint')
  const output = result.stdout + result.stderr
  expect(output).toContain('runner-doctor-lint starting shell')
  // Findings at error severity fail the job; gitlab-ci-local itself exits 0 for any job that has an
  // allow_failure object, so the job's own result line is what shows it failed.
  expect(jobOutcome(output, 'runner-doctor-lint')).toBe('FAIL 1')

  const issues = readCodeQuality(dir)
  const checks = issues.map((issue) => issue.check_name)
  expect(checks).toEqual(expect.arrayContaining(['toml-privileged', 'toml-image-unpinned']))
  // The runner token of the fixture is reported (as written in plain text, or as a placeholder left in).
  expect(checks.some((check) => /^values-.*token/.test(check))).toBe(true)
  expect(new Set(issues.map((issue) => issue.location.path))).toEqual(new Set(['values.yaml']))
  expect(issues.find((issue) => issue.check_name === 'toml-privileged')?.severity).toMatch(/major|critical|blocker/)

  const junit = await expectValidJunit(dir)
  expect(junit).toContain('<failure')
  expect(junit).toContain('classname="toml-privileged" name="values.yaml /runners/config/runners/0/kubernetes/privileged"')
  // The stylish report goes to the job log, and no token value reaches any output.
  expect(readFileSync(join(`${dir}-state`, 'output/runner-doctor-lint.log'), 'utf8')).toContain('toml-privileged')
  expect(output + readFileSync(join(dir, 'gl-code-quality-report.json'), 'utf8') + junit).not.toContain('glrt-YOUR_TOKEN_HERE')
}, 120_000)

test('with every input at its default the job walks the whole checkout and reports only the runner files', async () => {
  const pipeline = 'include:\n  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA\n'
  const dir = await consumer(pipeline, {
    'runners/prod/values.yaml': runnerValues,
    'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
  })
  const result = await runJob(dir, 'runner-doctor-lint')
  const output = result.stdout + result.stderr
  expect(jobOutcome(output, 'runner-doctor-lint')).toBe('FAIL 1')
  // Skipped files are one line in the log, and never test cases in the JUnit report.
  expect(output).toContain('Skipped 1 file (1 × Kubernetes Deployment, not runner configuration); --verbose lists them.')
  expect(output).not.toContain('k8s/deployment.yaml: skipped')
  // The consumer's own pipeline is read as a pipeline (its dind jobs would be checked); it has none, so it reports nothing.
  expect(output).not.toContain('.gitlab-ci.yml: skipped')
  expect(output).not.toContain('.gitlab-ci.yml (gitlab-ci)')
  expect(new Set(readCodeQuality(dir).map((issue) => issue.location.path))).toEqual(new Set(['runners/prod/values.yaml']))
  expect(await expectValidJunit(dir)).not.toContain('k8s/deployment.yaml')
}, 120_000)

test('files that hold no runner configuration fail the job (exit 2, naming them) unless allow_empty', async () => {
  const manifests = {'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'}
  const strictDir = await consumer(fourLinePipeline.replace('files: values.yaml', 'files: k8s\n      allow_failure: true'), manifests)
  const strict = await runJob(strictDir, 'runner-doctor-lint')
  const output = strict.stdout + strict.stderr
  expect(jobOutcome(output, 'runner-doctor-lint')).toBe('FAIL 2')
  expect(output).toContain('No runner configuration found in k8s: found 1 file that is not runner configuration.')

  const allowedDir = await consumer(fourLinePipeline.replace('files: values.yaml', 'files: k8s\n      allow_empty: true'), manifests)
  const allowed = await runJob(allowedDir, 'runner-doctor-lint')
  expect(jobOutcome(allowed.stdout + allowed.stderr, 'runner-doctor-lint')).toBe('PASS')
}, 120_000)

test('an image without runner-doctor installs it in a step of its own; a failed install is exit 2, even with allow_failure', async () => {
  const dir = await consumer(
    fourLinePipeline.replace('files: values.yaml', 'files: values.yaml\n      allow_failure: true\n      cli_version: 0.1.0'),
    {'values.yaml': runnerValues},
  )
  // No runner-doctor on the PATH, and no network in the job's namespace: npm cannot reach the registry.
  const withoutCli = {
    ...process.env,
    PATH: String(process.env.PATH)
      .split(':')
      .filter((entry) => entry !== shimDir)
      .join(':'),
  }
  const result = await gitlabCiLocal(
    dir,
    [
      '--force-shell-executor',
      '--state-dir',
      `../${basename(dir)}-state`,
      '--variable',
      'npm_config_fetch_retries=0',
      'runner-doctor-lint',
    ],
    withoutCli,
  )
  const output = result.stdout + result.stderr
  expect(output).toContain('runner-doctor is not in this image; installing runner-doctor@0.1.0 from npm.')
  expect(output).toContain('Could not install runner-doctor@0.1.0')
  expect(jobOutcome(output, 'runner-doctor-lint')).toBe('FAIL 2')
  expect(output).not.toContain('allow_failure is true')
  expect(existsSync(join(dir, 'gl-code-quality-report.json'))).toBe(false)
}, 180_000)

test('non-default inputs: a renamed job with fail_on warning and allow_failure is allowed to fail on findings', async () => {
  const pipeline = `stages: [lint]
include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA
    inputs:
      stage: lint
      job_name: lint-runner-values
      files: deploy/clean-values.yaml
      fail_on: warning
      chart_version: 0.86.0
      allow_failure: true
`
  const dir = await consumer(pipeline, {'deploy/clean-values.yaml': cleanValues})
  const result = await runJob(dir, 'lint-runner-values')
  const output = result.stdout + result.stderr
  expect(output).toContain('lint-runner-values starting shell (lint)')
  expect(output).toContain('allow_failure is true, so the job ends with exit code 3')
  expect(jobOutcome(output, 'lint-runner-values')).toBe('WARN 3')
  const issues = readCodeQuality(dir)
  expect(issues.length).toBeGreaterThan(0)
  expect(issues.every((issue) => issue.location.path === 'deploy/clean-values.yaml')).toBe(true)
  expect(issues.every((issue) => issue.severity === 'minor' || issue.severity === 'info')).toBe(true)
  await expectValidJunit(dir)
}, 120_000)

test('fail_on none reports every finding and passes', async () => {
  const dir = await consumer(`${fourLinePipeline}      fail_on: none\n`, {'values.yaml': runnerValues})
  const result = await runJob(dir, 'runner-doctor-lint')
  expect(jobOutcome(result.stdout + result.stderr, 'runner-doctor-lint')).toBe('PASS')
  expect(readCodeQuality(dir).map((issue) => issue.check_name)).toContain('toml-privileged')
}, 120_000)

test('a file with no findings at or above fail_on passes, and still leaves both reports', async () => {
  const dir = await consumer(fourLinePipeline, {'values.yaml': cleanValues})
  const result = await runJob(dir, 'runner-doctor-lint')
  expect(jobOutcome(result.stdout + result.stderr, 'runner-doctor-lint')).toBe('PASS')
  expect(readCodeQuality(dir).every((issue) => issue.severity !== 'major')).toBe(true)
  await expectValidJunit(dir)
}, 120_000)

test('a run that cannot complete fails the job even with allow_failure, and the failure says why', async () => {
  const pipeline = fourLinePipeline.replace('files: values.yaml', 'files: missing.yaml\n      allow_failure: true')
  const dir = await consumer(pipeline, {'values.yaml': runnerValues})
  const result = await runJob(dir, 'runner-doctor-lint')
  const output = result.stdout + result.stderr
  expect(jobOutcome(output, 'runner-doctor-lint')).toBe('FAIL 2')
  expect(output).toContain('missing.yaml')
}, 120_000)

test.each([
  ['fail_on: fatal', 'fail_on', /`fail_on` input: `fatal` cannot be used because it is not in the list of allowed options/],
  ['allow_failure: maybe', 'allow_failure', /`allow_failure` input: provided value is not a boolean/],
  ['chart_version: latest', 'chart_version', /`chart_version` input: .*does not match required regex/i],
])(
  'a bad input value (%s) is refused before any job runs',
  async (line, _input, message) => {
    const pipeline = `${fourLinePipeline}      ${line}\n`
    const dir = await consumer(pipeline, {'values.yaml': runnerValues})
    const result = await runJob(dir, 'runner-doctor-lint')
    const output = result.stdout + result.stderr
    expect(output).toMatch(message)
    expect(output).not.toContain('starting shell')
    expect(result.code).not.toBe(0)
    expect(existsSync(join(dir, 'gl-code-quality-report.json'))).toBe(false)
  },
  60_000,
)

test('the job runs with no network at all: gitlab-ci-local in a namespace with only loopback', async () => {
  const dir = await consumer(fourLinePipeline, {'values.yaml': runnerValues})
  const pipeline = `${fourLinePipeline}
network-check:
  script:
    - ip -o link show | awk '{print $2}' | tr -d ':' | sort | tr '\\n' ' '
`
  writeFileSync(join(dir, '.gitlab-ci.yml'), pipeline)
  const result = await gitlabCiLocal(dir, ['--force-shell-executor', 'network-check'], jobEnv)
  expect(result.stdout).toMatch(/network-check > lo\s*$/m)
}, 60_000)
