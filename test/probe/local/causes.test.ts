import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runLocalProbe} from '../../../src/probe/local.js'
import {dindExitCheck} from '../../../src/probe/checks/dind-container.js'
import {findCauses} from '../../../src/probe/report/causes.js'
import {buildReport} from '../../../src/probe/report/summary.js'
import {renderProbeReport} from '../../../src/probe/report/index.js'
import type {ProbeReport} from '../../../src/probe/types.js'
import {type Dockerd, freeLoopbackPort, generateDockerTls, startDockerd, type TlsFiles} from '../../support/dockerd.js'
import {type Dnsmasq, startDnsmasq} from '../../support/dnsmasq.js'
import {randomLoopbackAddress} from '../../support/loopback.js'
import {type TempFiles, tempFiles} from './helpers.js'

/*
 * The classic dind mistakes, each made for real against Debian's dockerd (plain and TLS like dind) and dnsmasq: the
 * first line of the report must name the mistake and its fix, and the JSON must list the checks it explains.
 */

let files: TempFiles
let tls: TlsFiles
let plain: Dockerd
let secure: Dockerd
let dnsmasq: Dnsmasq
let emptyCertDir: string

beforeAll(async () => {
  files = tempFiles()
  tls = generateDockerTls(join(files.dir, 'certs'))
  emptyCertDir = join(files.dir, 'empty-certs')
  mkdirSync(emptyCertDir)
  ;[plain, secure, dnsmasq] = await Promise.all([
    startDockerd(),
    startDockerd({tls}),
    startDnsmasq({records: {'gitlab.example.com': '127.0.0.12'}, localDomains: ['example.com']}),
  ])
}, 120_000)

afterAll(async () => {
  await Promise.all([plain?.stop(), secure?.stop(), dnsmasq?.stop()])
  files?.remove()
}, 60_000)

function probe(options: Record<string, unknown>, env: Record<string, string> = {}) {
  return runLocalProbe(
    {
      resolvConf: files.write(`resolv-${Math.random().toString(36).slice(2)}.conf`, `nameserver ${dnsmasq.address}\n`),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dindWaitMs: 0,
      timeoutMs: 1500,
      dnsTries: 2,
      certDir: emptyCertDir,
      ...options,
    },
    {env},
  )
}

const firstLine = (report: ProbeReport) => renderProbeReport(report, 'stylish').split('\n')[0]!

test('2375 against a TLS daemon: one cause, named for the port/TLS mismatch, with the fix', async () => {
  // The daemon speaks TLS (like docker:dind with DOCKER_TLS_CERTDIR=/certs); the client talks plain HTTP to it.
  const report = await probe({dockerHosts: [secure.url]}, {DOCKER_HOST: secure.url})
  const cause = report.causes![0]!
  expect(cause.id).toBe('docker-port-tls-mismatch')
  expect(firstLine(report)).toContain("Your DOCKER_HOST port does not match the daemon's TLS setting: dind serves TLS on 2376")
  expect(firstLine(report)).toContain('Fix: Use DOCKER_HOST=tcp://docker:2376 with DOCKER_TLS_VERIFY=1')
  expect(cause.checks).toEqual(expect.arrayContaining([`docker-daemon-127-0-0-1-${secure.port}`, 'docker-daemon']))
  // Every failing Docker check sits under this one cause, not beside it.
  const docker = report.checks.filter((c) => c.id.startsWith('docker-') && c.status === 'fail').map((c) => c.id)
  expect(report.causes!.filter((c) => c.checks.some((id) => docker.includes(id))).map((c) => c.id)).toEqual(['docker-port-tls-mismatch'])
  expect(report.summary.exitCode).toBe(1)
})

test('DOCKER_HOST on the plain port while only the TLS daemon answers is the same mismatch', async () => {
  const dead = await freeLoopbackPort()
  const report = await probe(
    {dockerHosts: [`tcp://127.0.0.1:${dead}`, secure.url], certDir: tls.clientDir},
    {DOCKER_HOST: `tcp://127.0.0.1:${dead}`},
  )
  expect(report.causes![0]!.id).toBe('docker-port-tls-mismatch')
  expect(report.summary.verdict).toMatch(/^Your DOCKER_HOST port does not match the daemon's TLS setting/)
})

test('no certs volume: TLS daemon, DOCKER_TLS_VERIFY set, no client certificates in the cert path', async () => {
  const report = await probe({dockerHosts: [secure.url]}, {DOCKER_HOST: secure.url, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: emptyCertDir})
  const cause = report.causes![0]!
  expect(cause.id).toBe('docker-certs-volume-missing')
  expect(firstLine(report)).toContain('no volume at /certs/client')
  expect(firstLine(report)).toContain(
    'Fix: Add [[runners.kubernetes.volumes.empty_dir]] name = "docker-certs" mount_path = "/certs/client"',
  )
  expect(cause.checks).toEqual(expect.arrayContaining([`docker-daemon-127-0-0-1-${secure.port}`, 'docker-daemon', 'docker-env']))
})

test('no docker alias: DOCKER_HOST=tcp://docker:… and a hosts file without the alias', async () => {
  const report = await probe({dockerHosts: [`tcp://docker:${plain.port}`]}, {DOCKER_HOST: `tcp://docker:${plain.port}`})
  const cause = report.causes![0]!
  expect(cause.id).toBe('docker-alias-missing')
  expect(firstLine(report)).toContain('The dind service has no "docker" alias')
  expect(firstLine(report)).toContain('Fix: Add alias: docker to the dind service')
  expect(cause.checks).toEqual(expect.arrayContaining(['hosts-aliases', `docker-daemon-docker-${plain.port}`]))
  // With the alias in place the same daemon answers: the cause was the alias, not the daemon.
  const fixed = await probe(
    {dockerHosts: [`tcp://docker:${plain.port}`], hostsFile: files.write('hosts-alias', '127.0.0.1 localhost\n127.0.0.1 docker\n')},
    {DOCKER_HOST: `tcp://docker:${plain.port}`},
  )
  expect(fixed.causes!.map((c) => c.id)).not.toContain('docker-alias-missing')
  expect(fixed.checks.find((c) => c.id === 'docker-daemon')!.status).toBe('pass')
})

/** Debian's dockerd with every capability dropped, as in a container that is not privileged; resolves with its exit and log. */
function unprivilegedDockerd(port: number): Promise<{code: number | null; log: string}> {
  const root = mkdtempSync(join(tmpdir(), 'rd-dockerd-unpriv-'))
  return new Promise((resolve) => {
    const child = spawn(
      'setpriv',
      [
        '--bounding-set=-all',
        '--inh-caps=-all',
        '--ambient-caps=-all',
        'dockerd',
        '-H',
        `tcp://127.0.0.1:${port}`,
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--storage-driver=vfs',
        `--data-root=${join(root, 'data')}`,
        `--exec-root=${join(root, 'exec')}`,
        `--pidfile=${join(root, 'dockerd.pid')}`,
      ],
      {stdio: ['ignore', 'ignore', 'pipe']},
    )
    let log = ''
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code) => {
      clearTimeout(limit)
      rmSync(root, {recursive: true, force: true})
      resolve({code, log})
    })
  })
}

test('dind without privileged: the daemon dies on missing privileges, and that is the one cause of every Docker failure', async () => {
  const port = await freeLoopbackPort()
  const dind = await unprivilegedDockerd(port)
  expect(dind.code).not.toBe(0)
  expect(dind.log).toMatch(/permission denied|operation not permitted/i)
  // The client side sees no daemon on the port the dead dind would have served.
  const report = await probe({dockerHosts: [`tcp://127.0.0.1:${port}`]}, {DOCKER_HOST: `tcp://127.0.0.1:${port}`})
  const combined = buildReport('mirror-pod', [dindExitCheck('docker', dind.code ?? undefined, dind.log), ...report.checks], report.timings)
  expect(combined.causes![0]!.id).toBe('dind-not-privileged')
  expect(firstLine(combined)).toContain('dind is not privileged, so the Docker daemon cannot start. Fix: Set privileged = true')
  expect(combined.causes![0]!.checks).toEqual(
    expect.arrayContaining(['dind-container', 'docker-daemon', `docker-daemon-127-0-0-1-${port}`]),
  )
  expect(combined.causes!.filter((c) => c.checks.some((id) => id.startsWith('docker-')))).toHaveLength(1)
}, 90_000)

test('a dead nameserver explains every lookup through it and the connection that needed the name', async () => {
  const dead = randomLoopbackAddress()
  const report = await probe(
    {
      dockerHosts: [plain.url],
      gitlabUrl: 'https://gitlab.example.com',
      resolvConf: files.write('resolv-dead.conf', `nameserver ${dead}\n`),
      timeoutMs: 300,
    },
    {DOCKER_HOST: plain.url},
  )
  const cause = report.causes![0]!
  expect(cause.id).toBe(`nameserver-dead-${dead.replaceAll('.', '-')}`)
  expect(firstLine(report)).toContain(`Nameserver ${dead} does not answer`)
  expect(cause.checks).toEqual(expect.arrayContaining(['dns-gitlab-host', 'outbound-gitlab']))
  // A second, live nameserver: lookups work through it, and the dead one is still named (as a warning).
  const mixed = await probe(
    {
      dockerHosts: [plain.url],
      gitlabUrl: 'https://gitlab.example.com',
      resolvConf: files.write('resolv-mixed.conf', `nameserver ${dnsmasq.address}\nnameserver ${dead}\n`),
      timeoutMs: 300,
    },
    {DOCKER_HOST: plain.url},
  )
  expect(mixed.causes!.map((c) => c.id)).toContain(`nameserver-dead-${dead.replaceAll('.', '-')}`)
})

test('causes are computed from the checks alone, and a clean report has none', async () => {
  const report = await probe({dockerHosts: [plain.url]}, {DOCKER_HOST: plain.url})
  // The test daemon runs on vfs: that warning stands alone, no root cause claims it.
  expect(report.causes!.filter((c) => c.id.startsWith('docker')).map((c) => c.id)).toEqual(['docker-storage'])
  expect(findCauses(report.checks)).toEqual(report.causes)
})

test('stylish output fits the width it is given, and markdown keeps table cells intact', async () => {
  const report = await probe({dockerHosts: [secure.url]}, {DOCKER_HOST: secure.url})
  const narrow = renderProbeReport(report, 'stylish', {width: 72})
  // A line may only overflow when a single word (a path, a URL) is longer than the room left for it.
  const overlong = narrow.split('\n').filter(
    (line) =>
      line.length > 72 &&
      !line
        .trim()
        .split(/\s+/)
        .some((word) => word.length > 30),
  )
  expect(overlong).toEqual([])
  expect(narrow.split('\n').filter((line) => line.length > 72).length).toBeLessThan(3)
  expect(narrow.split('\n')[1]).toMatch(/^ {2}\S/)
  const wide = renderProbeReport(report, 'stylish')
  expect(wide.split('\n')[0]!.length).toBeGreaterThan(72)
  const markdown = renderProbeReport(
    {
      ...report,
      checks: [
        ...report.checks,
        {id: 'pipe-check', status: 'fail', summary: 'a | b', evidence: [], cause: 'c', remediation: 'R.', durationMs: 0},
      ],
    },
    'markdown',
  )
  expect(markdown).toContain('| ❌ fail | `pipe-check` | a \\| b |')
})
