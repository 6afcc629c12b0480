import {spawn} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {AGENT_BUNDLE_MAX_BYTES, AGENT_BUNDLE_PATH, buildAgentSource} from '../../../src/probe/agent/bundle-path.js'
import type {ProbeReport} from '../../../src/probe/types.js'
import {junitSchemaErrors, xpath} from '../../formatters/xmllint.js'
import {type Dnsmasq, startDnsmasq} from '../../support/dnsmasq.js'
import {type Dockerd, freeLoopbackPort, startDockerd} from '../../support/dockerd.js'
import {type TempFiles, tempFiles} from './helpers.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** The built CLI and bundle must exist: `npm test` builds first. Failing here is louder than skipping. */
function requireBuild(): void {
  for (const path of [join(ROOT, 'dist', 'commands', 'probe.js'), AGENT_BUNDLE_PATH]) {
    if (!existsSync(path)) throw new Error(`${path} is missing; run \`npm run build\` before these tests.`)
  }
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A clean environment, so a DOCKER_HOST or CI_SERVER_URL of the machine does not leak into the probe.
    const child = spawn(process.execPath, args, {cwd: ROOT, env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({code, stdout, stderr}))
  })
}

let dnsmasq: Dnsmasq
let dockerd: Dockerd
let files: TempFiles
let resolvConf: string
let hostsFile: string

beforeAll(async () => {
  requireBuild()
  files = tempFiles()
  ;[dnsmasq, dockerd] = await Promise.all([
    startDnsmasq({records: {'gitlab.example.com': '127.0.0.12'}, localDomains: ['example.com']}),
    startDockerd(),
  ])
  resolvConf = files.write('resolv.conf', `nameserver ${dnsmasq.address}\noptions ndots:1\n`)
  hostsFile = files.write('hosts', '127.0.0.1 localhost\n127.0.0.1 docker\n')
}, 120_000)

afterAll(async () => {
  await Promise.all([dnsmasq?.stop(), dockerd?.stop()])
  files?.remove()
}, 60_000)

test('probe --local --format json against dnsmasq and a real dockerd exits 0 with a parseable report', async () => {
  const result = await run([
    'bin/run.cjs',
    'probe',
    '--local',
    '--resolv-conf',
    resolvConf,
    '--hosts-file',
    hostsFile,
    '--docker-host',
    `tcp://docker:${dockerd.port}`,
    '--target',
    'gitlab.example.com',
    '--dind-wait',
    '0',
    '--timeout',
    '1s',
    '--format',
    'json',
  ])
  expect(result.stderr).not.toContain('    at ')
  const report = JSON.parse(result.stdout) as ProbeReport
  expect(report.mode).toBe('local')
  expect(report.summary.exitCode).toBe(0)
  expect(result.code).toBe(0)
  expect(report.checks.find((c) => c.id === `docker-daemon-docker-${dockerd.port}`)?.status).toBe('pass')
  expect(report.checks.find((c) => c.id === 'dns-target-gitlab-example-com')?.summary).toContain('127.0.0.12')
  expect(report.checks.every((c) => ['id', 'status', 'summary', 'evidence', 'durationMs'].every((k) => k in c))).toBe(true)
})

test('probe --local with a dead Docker port exits 1 and the stylish report leads with the verdict', async () => {
  const dead = await freeLoopbackPort()
  const result = await run([
    'bin/run.cjs',
    'probe',
    '--local',
    '--resolv-conf',
    resolvConf,
    '--hosts-file',
    hostsFile,
    '--docker-host',
    `tcp://127.0.0.1:${dead}`,
    '--dind-wait',
    '0',
  ])
  expect(result.code).toBe(1)
  const firstLine = result.stdout.split('\n')[0]
  // The root cause and its fix first; the checks it explains are listed under it.
  expect(firstLine).toBe(
    'runner-doctor probe (local): No Docker daemon answers, so every Docker check after it fails. ' +
      'Fix: Add a docker:dind service (privileged) to the job or the runner config, and give it time ' +
      'to start; read the service log for why it stopped.',
  )
  expect(result.stdout).toMatch(/^ {2}1\. FAIL No Docker daemon answers/m)
  expect(result.stdout).toMatch(/^ {5}fail {4}docker-daemon-127-0-0-1-\d+ +Nothing listens/m)
  // Piped: nothing is wrapped, whatever COLUMNS says.
  expect(result.stdout.split('\n').some((line) => line.length > 120)).toBe(true)
  const markdown = await run([
    'bin/run.cjs',
    'probe',
    '--local',
    '--resolv-conf',
    resolvConf,
    '--hosts-file',
    hostsFile,
    '--docker-host',
    `tcp://127.0.0.1:${dead}`,
    '--dind-wait',
    '0',
    '--format',
    'markdown',
  ])
  expect(markdown.code).toBe(1)
  expect(markdown.stdout.split('\n').slice(0, 3)).toEqual([
    '### runner-doctor probe: local',
    '',
    `**${firstLine.slice('runner-doctor probe (local): '.length).replace(/([*_`<>[\]])/g, '\\$1')}**`,
  ])
  expect(markdown.stdout).toMatch(/^1\. ❌ \*\*No Docker daemon answers/m)
  expect(markdown.stdout).toMatch(/^\| ❌ fail \| `docker-daemon` \|/m)
  expect(result.stderr).toContain('Checking DNS')
})

test('one probe run writes JSON, JUnit and markdown reports to files and the stylish report to the log', async () => {
  const dead = await freeLoopbackPort()
  const [json, junit, markdown] = ['report.json', 'report-junit.xml', 'report.md'].map((name) => join(files.dir, name))
  const common = ['bin/run.cjs', 'probe', '--local', '--resolv-conf', resolvConf, '--hosts-file', hostsFile]
  const args = [...common, '--docker-host', `tcp://127.0.0.1:${dead}`, '--dind-wait', '0']
  const result = await run([
    ...args,
    '-f',
    'json',
    '-o',
    json,
    '-f',
    'junit',
    '-o',
    junit,
    '-f',
    'markdown',
    '-o',
    markdown,
    '-f',
    'stylish',
  ])
  expect(result.code).toBe(1)
  expect(result.stdout).toMatch(/^runner-doctor probe \(local\): No Docker daemon answers/)
  const report = JSON.parse(readFileSync(json, 'utf8')) as ProbeReport
  expect(report.summary.exitCode).toBe(1)
  const failing = report.checks.filter((check) => check.status === 'fail').map((check) => check.id)
  expect(junitSchemaErrors(readFileSync(junit, 'utf8'))).toBe('')
  const failures = xpath(readFileSync(junit, 'utf8'), '//testcase[failure]/@name')
  expect([...failures.matchAll(/name="([^"]*)"/g)].map((match) => match[1])).toEqual(failing)
  expect(readFileSync(markdown, 'utf8')).toMatch(/^### runner-doctor probe: local\n/)

  // GitLab renders ANSI colour in job logs, so a job gets colour unless NO_COLOR says otherwise.
  expect((await run(args, {GITLAB_CI: 'true'})).stdout).toContain('\u001B[')
  expect((await run(args, {GITLAB_CI: 'true', NO_COLOR: '1'})).stdout).not.toContain('\u001B[')

  const unpaired = await run([...common, '-o', json, '-o', junit])
  expect(unpaired.code).toBe(2)
  expect(unpaired.stderr).toBe('runner-doctor probe: 2 --output-file values but only 1 --format; pair each file with a format.\n')
  const unwritable = await run([...args, '-f', 'json', '-o', join(files.dir, 'no-such-dir', 'report.json')])
  expect(unwritable.code).toBe(2)
  expect(unwritable.stderr).toContain(`--output-file ${join(files.dir, 'no-such-dir', 'report.json')}: ENOENT`)
})

test('probe --local with an unreadable file or a bad duration exits 2 without a stack trace', async () => {
  const missing = await run(['bin/run.cjs', 'probe', '--local', '--resolv-conf', join(files.dir, 'absent.conf')])
  expect(missing.code).toBe(2)
  expect(missing.stderr).toBe(`runner-doctor probe: --resolv-conf ${join(files.dir, 'absent.conf')} cannot be read.\n`)
  const badDuration = await run(['bin/run.cjs', 'probe', '--local', '--timeout', 'soon'])
  expect(badDuration.code).toBe(2)
  expect(badDuration.stderr).toContain('"soon" is not a duration')
})

test('the agent bundle runs alone and prints one RUNNER_DOCTOR_REPORT line last', async () => {
  expect(statSync(AGENT_BUNDLE_PATH).size).toBeLessThan(AGENT_BUNDLE_MAX_BYTES)
  const options = {resolvConf, hostsFile, dockerHosts: [dockerd.url], targets: ['gitlab.example.com'], dindWaitMs: 0, timeoutMs: 1000}
  // Run from a directory without node_modules to prove the bundle is self-contained.
  const result = await run([AGENT_BUNDLE_PATH, JSON.stringify(options)])
  const lines = result.stdout.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0].startsWith('RUNNER_DOCTOR_REPORT ')).toBe(true)
  const report = JSON.parse(lines[0].slice('RUNNER_DOCTOR_REPORT '.length)) as ProbeReport
  expect(report.summary.exitCode).toBe(0)
  expect(result.code).toBe(0)

  const bad = await run([AGENT_BUNDLE_PATH, '{"dockerHost": "typo"}'])
  expect(bad.code).toBe(2)
  const badReport = JSON.parse(bad.stdout.trim().slice('RUNNER_DOCTOR_REPORT '.length)) as ProbeReport
  expect(badReport.summary.verdict).toBe('The probe could not run: Unknown option(s): dockerHost.')
})

test('buildAgentSource gives the cluster side the same program as one string under the argv limit', async () => {
  const source = await buildAgentSource()
  expect(Buffer.byteLength(source)).toBeLessThan(AGENT_BUNDLE_MAX_BYTES)
  const result = await run([
    '-e',
    source,
    'runner-doctor-probe',
    JSON.stringify({resolvConf, hostsFile, dockerHosts: [dockerd.url], dindWaitMs: 0, timeoutMs: 1000}),
  ])
  expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^RUNNER_DOCTOR_REPORT \{"mode":"local"/)
  expect(result.code).toBe(0)
})
