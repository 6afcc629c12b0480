import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:https'
import {join} from 'node:path'

import {runLocalProbe} from '../../../src/probe/local.js'
import {generateDockerTls, type TlsFiles} from '../../support/dockerd.js'
import {check, expectWellFormed, type TempFiles, tempFiles} from './helpers.js'

/*
 * kaniko and buildah runners: no Docker checks at all, and the registry they push to checked over TLS with the CA in
 * use, answering the registry API. Registries here are HTTPS servers on loopback with a private CA.
 */

let files: TempFiles
let tls: TlsFiles
const servers: Server[] = []

async function httpsServer(answer: (path: string) => {status: number; body: string}): Promise<number> {
  const server = createServer({cert: readFileSync(tls.serverCert), key: readFileSync(tls.serverKey)}, (request, response) => {
    const {status, body} = answer(request.url ?? '/')
    response.writeHead(status, {'content-type': 'application/json'})
    response.end(body)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as {port: number}).port
}

beforeAll(() => {
  files = tempFiles()
  tls = generateDockerTls(join(files.dir, 'certs'))
})

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  files?.remove()
})

function probe(options: Record<string, unknown>) {
  return runLocalProbe(
    {
      resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dindWaitMs: 0,
      timeoutMs: 1500,
      dnsLossQueries: 0,
      tlsCaFile: tls.serverCa,
      ...options,
    },
    {env: {DOCKER_HOST: 'tcp://docker:2376'}},
  )
}

test('kaniko: no Docker check at all, even with DOCKER_HOST set, and the registry API is reached with the CA in use', async () => {
  const registry = await httpsServer((path) =>
    path === '/v2/' ? {status: 401, body: '{"errors":[{"code":"UNAUTHORIZED"}]}'} : {status: 404, body: '{}'},
  )
  const report = await probe({builder: 'kaniko', registries: [`127.0.0.1:${registry}`]})
  expectWellFormed(report)
  expect(report.checks.filter((c) => c.id.startsWith('docker') || c.id === 'dind-container')).toEqual([])
  const reach = check(report, `builder-kaniko-registry-127-0-0-1-${registry}`)
  expect(reach.status).toBe('pass')
  expect(reach.summary).toBe(`kaniko can reach the registry API at 127.0.0.1:${registry} (GET /v2/ answers 401).`)
})

test('buildah: a TLS server that is not a registry fails; without the CA the handshake is untrusted', async () => {
  const notRegistry = await httpsServer(() => ({status: 404, body: '<html>not here</html>'}))
  const report = await probe({builder: 'buildah', registries: [`127.0.0.1:${notRegistry}`]})
  const check_ = check(report, `builder-buildah-registry-127-0-0-1-${notRegistry}`)
  expect(check_.status).toBe('fail')
  expect(check_.summary).toBe(`127.0.0.1:${notRegistry} answers TLS but not as a container registry (GET /v2/: 404).`)
  const untrusted = await probe({builder: 'buildah', registries: [`127.0.0.1:${notRegistry}`], tlsCaFile: undefined})
  expect(check(untrusted, `builder-buildah-registry-127-0-0-1-${notRegistry}`).summary).toMatch(
    /presents a certificate this container does not trust/,
  )
  expect(untrusted.checks.some((c) => c.id.startsWith('docker'))).toBe(false)
})

test('no registry given: one skip that says what is missing', async () => {
  const report = await probe({builder: 'kaniko'})
  expect(check(report, 'builder-kaniko-registry').status).toBe('skip')
})
