import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer as createTlsServer, type Server} from 'node:tls'
import {join} from 'node:path'

import {runLocalProbe} from '../../../src/probe/local.js'
import {freeLoopbackPort, generateDockerTls, type TlsFiles} from '../../support/dockerd.js'
import {check, expectWellFormed, type TempFiles, tempFiles} from './helpers.js'

let files: TempFiles
let tls: TlsFiles
let server: Server
let port: number

beforeAll(async () => {
  files = tempFiles()
  tls = generateDockerTls(join(files.dir, 'certs'))
  server = createTlsServer({cert: readFileSync(tls.serverCert), key: readFileSync(tls.serverKey)}, (socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as {port: number}).port
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  files.remove()
})

function probe(options: Record<string, unknown>, env: Record<string, string> = {}) {
  return runLocalProbe(
    {
      resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n127.0.0.1 gitlab.test\n'),
      dockerHosts: ['tcp://127.0.0.1:9'],
      dindWaitMs: 0,
      timeoutMs: 1000,
      ...options,
    },
    {env},
  )
}

describe('outbound TCP and TLS', () => {
  test('a GitLab that presents a certificate from a trusted CA passes with timings', async () => {
    const report = await probe({gitlabUrl: `https://localhost:${port}`, tlsCaFile: tls.serverCa})
    const outbound = check(report, 'outbound-gitlab')
    expect(outbound.status).toBe('pass')
    expect(outbound.summary).toMatch(new RegExp(`^GitLab at localhost:${port}: TCP in .+, TLS handshake in .+\\.$`))
    expect(outbound.evidence[0]).toBe('localhost -> 127.0.0.1 via hosts file')
    expect(outbound.evidence.some((e) => e.startsWith('TLS TLSv1.3 handshake in'))).toBe(true)
  })

  test('an untrusted certificate fails with the tls-ca-file advice', async () => {
    const report = await probe({gitlabUrl: `https://localhost:${port}`})
    expectWellFormed(report)
    const outbound = check(report, 'outbound-gitlab')
    expect(outbound.status).toBe('fail')
    expect(outbound.summary).toBe(
      `GitLab at localhost:${port} presents a certificate this container does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE).`,
    )
    expect(outbound.remediation).toContain('tls-ca-file')
  })

  test('a certificate for another name fails even from a trusted CA', async () => {
    const report = await probe({gitlabUrl: `https://gitlab.test:${port}`, tlsCaFile: tls.serverCa})
    const outbound = check(report, 'outbound-gitlab')
    expect(outbound.status).toBe('fail')
    expect(outbound.summary).toContain('(ERR_TLS_CERT_ALTNAME_INVALID)')
    expect(outbound.evidence[0]).toBe('gitlab.test -> 127.0.0.1 via hosts file')
  })

  test('a registry nothing listens on fails with the connection error', async () => {
    const dead = await freeLoopbackPort()
    const report = await probe({registries: [`127.0.0.1:${dead}`]})
    const outbound = check(report, `outbound-registry-127-0-0-1-${dead}`)
    expect(outbound.status).toBe('fail')
    expect(outbound.summary).toBe(`TCP connection to registry at 127.0.0.1:${dead} fails (ECONNREFUSED).`)
  })

  test('GitLab and the registry default to the CI job variables', async () => {
    const report = await probe({tlsCaFile: tls.serverCa}, {CI_SERVER_URL: `https://localhost:${port}`, CI_REGISTRY: `localhost:${port}`})
    expect(check(report, 'outbound-gitlab').status).toBe('pass')
    expect(check(report, `outbound-registry-localhost-${port}`).status).toBe('pass')
  })
})

describe('environment checks', () => {
  test('MTU is read per interface and eth0 is the pod interface', async () => {
    const net = join(files.dir, 'net')
    for (const [name, mtu] of [
      ['lo', 65536],
      ['eth0', 1450],
      ['eth1', 9000],
    ] as const) {
      mkdirSync(join(net, name), {recursive: true})
      writeFileSync(join(net, name, 'mtu'), `${mtu}\n`)
    }
    const report = await probe({netClassDir: net})
    const mtu = check(report, 'network-mtu')
    expect(mtu.summary).toBe('Pod interface eth0 has MTU 1450.')
    expect(mtu.evidence).toEqual(['eth0: mtu 1450', 'eth1: mtu 9000', 'lo: mtu 65536'])
  })

  test('libc is reported', async () => {
    const report = await probe({})
    expect(check(report, 'libc').summary).toMatch(/^(glibc \d+\.\d+ resolver|musl resolver \(Alpine-like image\))\.$/)
  })

  test('DOCKER_* inconsistencies are each named', async () => {
    const tlsOnPlain = await probe({}, {DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '/certs'})
    const env = check(tlsOnPlain, 'docker-env')
    expect(env.status).toBe('fail')
    expect(env.summary).toBe('DOCKER_HOST uses port 2375 but DOCKER_TLS_CERTDIR=/certs makes docker:dind listen with TLS on 2376 only.')

    const plainOnTls = await probe({}, {DOCKER_HOST: 'tcp://docker:2376'})
    expect(check(plainOnTls, 'docker-env').summary).toBe(
      'DOCKER_HOST uses port 2376 (TLS) but DOCKER_TLS_VERIFY is not set, so the docker CLI sends plain HTTP to a TLS port.',
    )

    const noCertPath = await probe({}, {DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '1'})
    expect(check(noCertPath, 'docker-env').status).toBe('warn')
    expect(check(noCertPath, 'docker-env').summary).toContain('without DOCKER_CERT_PATH')
  })

  test('resolv.conf with too many nameservers warns, and a missing file fails', async () => {
    const crowded = await probe({
      resolvConf: files.write('crowded.conf', 'nameserver 127.0.0.2\nnameserver 127.0.0.3\nnameserver 127.0.0.4\nnameserver 127.0.0.5\n'),
      dnsTries: 1,
      timeoutMs: 100,
    })
    expect(check(crowded, 'resolv-conf').summary).toContain('glibc uses only the first 3')
    const missing = await probe({resolvConf: join(files.dir, 'absent.conf')})
    expect(check(missing, 'resolv-conf').status).toBe('fail')
  })
})
