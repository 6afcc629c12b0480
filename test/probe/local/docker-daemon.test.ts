import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runLocalProbe} from '../../../src/probe/local.js'
import {type Dockerd, startDockerd} from '../../support/dockerd.js'
import {check, type TempFiles, tempFiles} from './helpers.js'

/* Daemon-side checks once a daemon answers, against Debian's dockerd (started with vfs and no default bridge). */

let files: TempFiles
let dockerd: Dockerd

beforeAll(async () => {
  files = tempFiles()
  dockerd = await startDockerd()
}, 120_000)

afterAll(async () => {
  await dockerd?.stop()
  files?.remove()
}, 60_000)

function netClass(mtu: number): string {
  const dir = join(files.dir, `net-${mtu}`)
  mkdirSync(join(dir, 'eth0'), {recursive: true})
  mkdirSync(join(dir, 'lo'), {recursive: true})
  writeFileSync(join(dir, 'eth0', 'mtu'), `${mtu}\n`)
  writeFileSync(join(dir, 'lo', 'mtu'), '65536\n')
  return dir
}

function probe(extra: Record<string, unknown>) {
  return runLocalProbe({
    resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
    hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
    dockerHosts: [dockerd.url],
    dindWaitMs: 0,
    timeoutMs: 2000,
    dnsLossQueries: 0,
    ...extra,
  }, {env: {DOCKER_HOST: dockerd.url}})
}

test('the storage driver and Docker root come from the daemon: vfs is a warning with the /var/lib/docker fix', async () => {
  const report = await probe({})
  const storage = check(report, 'docker-storage')
  expect(storage.status).toBe('warn')
  expect(storage.evidence[0]).toBe('storage driver: vfs')
  expect(storage.evidence[1]).toMatch(/^Docker root: \/tmp\/rd-dockerd-[^/]+\/data/)
  expect(storage.remediation).toContain('mount_path = "/var/lib/docker"')
})

test('a mounted daemon.json sets the MTU dind starts with; it is compared with the pod interface', async () => {
  const tooBig = files.write('daemon-1500.json', '{"mtu": 1500}')
  const warn = check(await probe({daemonJson: tooBig, netClassDir: netClass(1450)}), 'docker-mtu')
  expect(warn.status).toBe('warn')
  expect(warn.summary).toContain("dind's bridge MTU 1500 is larger than the pod's 1450")
  expect(warn.evidence).toContain(`daemon.json ${tooBig}: mtu 1500`)
  const fits = check(await probe({daemonJson: files.write('daemon-1400.json', '{"mtu": 1400}'), netClassDir: netClass(1450)}), 'docker-mtu')
  expect(fits.status).toBe('pass')
  // Without a daemon.json and without a default bridge there is nothing to compare.
  const unknown = check(await probe({daemonJson: join(files.dir, 'absent.json'), netClassDir: netClass(1450)}), 'docker-mtu')
  expect(unknown.status).toBe('skip')
})

test('registry reachability is asked of the daemon itself: a registry that answers passes, a closed port fails', async () => {
  const {createServer} = await import('node:http')
  // A registry's first answer to a client without credentials: 401 with a Bearer challenge (distribution spec).
  const registry = createServer((request, response) => {
    const json = {'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0'}
    if (request.url?.startsWith('/token')) {
      response.writeHead(200, json)
      response.end('{"token":"anonymous"}')
    } else if (!request.headers.authorization) {
      response.writeHead(401, {...json, 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="registry"`})
      response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
    } else {
      response.writeHead(404, json)
      response.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
    }
  })
  let port = 0
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve))
  port = (registry.address() as {port: number}).port
  const {freeLoopbackPort} = await import('../../support/dockerd.js')
  const closed = await freeLoopbackPort()
  try {
    const report = await probe({registries: [`127.0.0.1:${port}`, `127.0.0.1:${closed}`]})
    const reached = check(report, `docker-registry-127-0-0-1-${port}`)
    expect(reached.status).toBe("pass")
    expect(reached.summary).toMatch(new RegExp(`^The Docker daemon reaches the registry 127\\.0\\.0\\.1:${port}`))
    const refused = check(report, `docker-registry-127-0-0-1-${closed}`)
    expect(refused.status).toBe('fail')
    expect(refused.summary).toContain(`cannot reach the registry 127.0.0.1:${closed}`)
    expect(refused.evidence[0]).toMatch(/connection refused/)
  } finally {
    registry.close()
  }
})
