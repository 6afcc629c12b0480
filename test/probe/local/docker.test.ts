import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {runLocalProbe} from '../../../src/probe/local.js'
import {compareMtu} from '../../../src/probe/checks/docker.js'
import {type Dockerd, freeLoopbackPort, generateDockerTls, startDockerd, type TlsFiles} from '../../support/dockerd.js'
import {check, expectWellFormed, type TempFiles, tempFiles} from './helpers.js'

let files: TempFiles
let tls: TlsFiles
let otherTls: TlsFiles
let plain: Dockerd
let secure: Dockerd
let emptyCertDir: string

beforeAll(async () => {
  files = tempFiles()
  tls = generateDockerTls(join(files.dir, 'certs'))
  otherTls = generateDockerTls(join(files.dir, 'other-certs'), 'some other CA')
  emptyCertDir = join(files.dir, 'empty-certs')
  mkdirSync(emptyCertDir)
  ;[plain, secure] = await Promise.all([startDockerd(), startDockerd({tls})])
}, 120_000)

afterAll(async () => {
  await Promise.all([plain?.stop(), secure?.stop()])
  files?.remove()
}, 60_000)

function probe(options: Record<string, unknown>, env: Record<string, string> = {}) {
  return runLocalProbe(
    {
      resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dindWaitMs: 0,
      timeoutMs: 2000,
      certDir: emptyCertDir,
      ...options,
    },
    {env},
  )
}

const id = (d: Dockerd): string => `docker-daemon-127-0-0-1-${d.port}`

test('a healthy plain daemon passes with its API version', async () => {
  const report = await probe({dockerHosts: [plain.url]})
  expectWellFormed(report)
  const endpoint = check(report, id(plain))
  expect(endpoint.status).toBe('pass')
  expect(endpoint.summary).toMatch(/^Docker \S+ answers on tcp:\/\/127\.0\.0\.1:\d+ over plain HTTP \(API 1\.\d+\)\.$/)
  expect(check(report, 'docker-daemon').status).toBe('pass')
  expect(check(report, 'docker-mtu').status).toBe('skip')
  expect(report.summary.exitCode).toBe(0)
})

test('a dead port fails with the cause and exit code 1', async () => {
  const dead = await freeLoopbackPort()
  const report = await probe({dockerHosts: [`tcp://127.0.0.1:${dead}`]})
  expectWellFormed(report)
  const endpoint = check(report, `docker-daemon-127-0-0-1-${dead}`)
  expect(endpoint.status).toBe('fail')
  expect(endpoint.summary).toBe(`Nothing listens on tcp://127.0.0.1:${dead} (ECONNREFUSED).`)
  expect(endpoint.cause).toBeTruthy()
  expect(check(report, 'docker-daemon').summary).toBe(`No Docker daemon answers on tcp://127.0.0.1:${dead}.`)
  expect(report.summary.exitCode).toBe(1)
})

test('waiting for dind: a daemon that is not up is waited for until the deadline, then reported', async () => {
  const dead = await freeLoopbackPort()
  const progress: string[] = []
  const startedAt = Date.now()
  const report = await runLocalProbe(
    {
      resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dockerHosts: [`tcp://127.0.0.1:${dead}`],
      dindWaitMs: 800,
      timeoutMs: 500,
    },
    {env: {}, progress: (m) => progress.push(m)},
  )
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(800)
  expect(progress.some((m) => m.startsWith('Waiting up to 800 ms for a Docker daemon'))).toBe(true)
  expect(check(report, 'docker-daemon').summary).toContain('after waiting 800 ms')
})

test('a TLS daemon hit with plain HTTP is diagnosed', async () => {
  const report = await probe({dockerHosts: [secure.url]})
  const endpoint = check(report, id(secure))
  expect(endpoint.status).toBe('fail')
  expect(endpoint.summary).toBe(
    `${secure.url} speaks TLS, but the client sends plain HTTP ("Client sent an HTTP request to an HTTPS server").`,
  )
  expect(endpoint.evidence.some((e) => e.startsWith('plain GET /_ping: 400 Client sent an HTTP request to an HTTPS server'))).toBe(true)
  expect(endpoint.remediation).toContain('DOCKER_TLS_VERIFY=1')
})

test('TLS expected but certificates missing is named', async () => {
  const report = await probe({dockerHosts: [secure.url]}, {DOCKER_HOST: secure.url, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: emptyCertDir})
  const endpoint = check(report, id(secure))
  expect(endpoint.status).toBe('fail')
  expect(endpoint.summary).toBe(`${secure.url} speaks TLS and requires client certificates, but ${emptyCertDir} has none.`)
  expect(endpoint.remediation).toContain('/certs/client')
  expect(check(report, 'docker-env').summary).toBe(`DOCKER_CERT_PATH=${emptyCertDir} lacks ca.pem, cert.pem, key.pem.`)
})

test('mutual TLS with the client certificates passes', async () => {
  const report = await probe(
    {dockerHosts: [secure.url], certDir: tls.clientDir},
    {DOCKER_HOST: secure.url, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.clientDir},
  )
  expectWellFormed(report)
  const endpoint = check(report, id(secure))
  expect(endpoint.status).toBe('pass')
  expect(endpoint.summary).toMatch(/over mutual TLS \(API 1\.\d+\)\.$/)
  expect(check(report, 'docker-daemon').status).toBe('pass')
  expect(check(report, 'docker-env').status).toBe('pass')
})

test('certificates from another dind are rejected, and named so', async () => {
  const report = await probe({dockerHosts: [secure.url], certDir: otherTls.clientDir})
  const endpoint = check(report, id(secure))
  expect(endpoint.status).toBe('fail')
  expect(endpoint.summary).toMatch(/^The certificate of .* is not signed by .*ca\.pem\.$|rejects the client certificate/)
})

test('the docker alias is resolved through the hosts file under test, and its absence is called out', async () => {
  const withAlias = await probe({
    dockerHosts: [`tcp://docker:${plain.port}`],
    hostsFile: files.write('hosts-alias', '127.0.0.1 localhost\n127.0.0.1 docker minio\n'),
  })
  expect(check(withAlias, 'hosts-aliases').summary).toBe('Service aliases on loopback: docker, minio.')
  expect(check(withAlias, `docker-daemon-docker-${plain.port}`).status).toBe('pass')
  expect(check(withAlias, `docker-daemon-docker-${plain.port}`).evidence).toContain('address: 127.0.0.1 via hosts file')

  const withoutAlias = await probe(
    {dockerHosts: [`tcp://docker:${plain.port}`], hostsFile: files.write('hosts-plain', '127.0.0.1 localhost\n')},
    {DOCKER_HOST: `tcp://docker:${plain.port}`},
  )
  const aliases = check(withoutAlias, 'hosts-aliases')
  expect(aliases.status).toBe('fail')
  expect(aliases.summary).toBe('The Docker client targets host "docker" but the hosts file has no "docker" alias.')
  expect(aliases.remediation).toContain('alias: docker')
})

test('DOCKER_HOST on the plain port while only the TLS daemon answers points at the TLS setup', async () => {
  const dead = await freeLoopbackPort()
  const report = await probe(
    {dockerHosts: [`tcp://127.0.0.1:${dead}`, secure.url], certDir: tls.clientDir},
    {DOCKER_HOST: `tcp://127.0.0.1:${dead}`},
  )
  const verdict = check(report, 'docker-daemon')
  expect(verdict.status).toBe('fail')
  expect(verdict.summary).toBe(`DOCKER_HOST=tcp://127.0.0.1:${dead} does not work, but a daemon answers on ${secure.url} over TLS.`)
  expect(verdict.remediation).toContain('DOCKER_TLS_VERIFY=1')
})

test('the default endpoints that nobody asked for are skipped when another answers', async () => {
  const report = await probe({}, {DOCKER_HOST: plain.url})
  expect(check(report, 'docker-daemon-localhost-2375').status).toMatch(/skip|pass/)
  expect(check(report, 'docker-daemon').status).toBe('pass')
  expect(check(report, id(plain)).status).toBe('pass')
})

test('dind MTU larger than the pod MTU is a warning with the --mtu fix', () => {
  const result = compareMtu(1500, 1450, [])
  expect(result.status).toBe('warn')
  expect(result.remediation).toBe('Start dind with --mtu=1450 (service command: ["--mtu=1450"]).')
  expect(compareMtu(1400, 1450, []).status).toBe('pass')
})
