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
  return runLocalProbe(
    {
      resolvConf: files.write('resolv.conf', 'nameserver 127.0.0.1\n'),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dockerHosts: [dockerd.url],
      dindWaitMs: 0,
      timeoutMs: 2000,
      dnsLossQueries: 0,
      ...extra,
    },
    {env: {DOCKER_HOST: dockerd.url}},
  )
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
    expect(reached.status).toBe('pass')
    expect(reached.summary).toMatch(new RegExp(`^The Docker daemon reaches the registry 127\\.0\\.0\\.1:${port}`))
    const refused = check(report, `docker-registry-127-0-0-1-${closed}`)
    expect(refused.status).toBe('fail')
    expect(refused.summary).toContain(`cannot reach the registry 127.0.0.1:${closed}`)
    expect(refused.evidence[0]).toMatch(/connection refused/)
  } finally {
    registry.close()
  }
})

describe('--deep: a container really runs on the daemon', () => {
  /** A tiny image: one static Go binary that prints a line, or exits 3 when given an argument. */
  async function tinyImages(): Promise<void> {
    const {execFileSync} = await import('node:child_process')
    const dir = join(files.dir, 'tiny')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'go.mod'), 'module tiny\n\ngo 1.22\n')
    writeFileSync(
      join(dir, 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tif ' +
        'len(os.Args) > 1 {\n\t\tos.Exit(3)\n\t}\n\tfmt.Println("tiny")\n}\n',
    )
    execFileSync('go', ['build', '-o', 'hello', '.'], {
      cwd: dir,
      env: {...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOCACHE: join(files.dir, 'gocache')},
    })
    execFileSync('tar', ['cf', 'image.tar', 'hello'], {cwd: dir})
    const docker = (...args: string[]) =>
      execFileSync('docker', ['-H', dockerd.url, ...args], {
        env: {...process.env, DOCKER_CONFIG: join(files.dir, 'docker-config')},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    docker('import', '--change', 'CMD ["/hello"]', join(dir, 'image.tar'), 'rd-tiny:ok')
    docker('import', '--change', 'CMD ["/hello", "fail"]', join(dir, 'image.tar'), 'rd-tiny:fails')
  }

  beforeAll(tinyImages, 120_000)

  const containersLeft = async () => {
    const {request} = await import('node:http')
    return new Promise<unknown[]>((resolve, reject) => {
      request(`http://127.0.0.1:${dockerd.port}/containers/json?all=1`, (response) => {
        let body = ''
        response.on('data', (c: Buffer) => (body += c.toString()))
        response.on('end', () => resolve(JSON.parse(body) as unknown[]))
      })
        .on('error', reject)
        .end()
    })
  }

  test('runs, exits 0 and is removed; only with --deep', async () => {
    const report = await probe({deepImage: 'rd-tiny:ok'})
    const run = check(report, 'docker-run')
    expect(run.status).toBe('pass')
    expect(run.summary).toMatch(/^The Docker daemon pulled, created, started and removed a container from rd-tiny:ok \(exit 0\) in /)
    expect(run.evidence).toContain('image rd-tiny:ok: present')
    expect(await containersLeft()).toEqual([])
    expect((await probe({})).checks.some((c) => c.id === 'docker-run')).toBe(false)
  }, 60_000)

  test('a container that exits non-zero, and an image that cannot be pulled, fail with what happened', async () => {
    const failing = check(await probe({deepImage: 'rd-tiny:fails'}), 'docker-run')
    expect(failing.status).toBe('fail')
    expect(failing.summary).toBe('A container from rd-tiny:fails exited with code 3.')
    expect(await containersLeft()).toEqual([])
    const {freeLoopbackPort} = await import('../../support/dockerd.js')
    const closed = await freeLoopbackPort()
    const unpullable = check(await probe({deepImage: `127.0.0.1:${closed}/missing:1`}), 'docker-run')
    expect(unpullable.status).toBe('fail')
    expect(unpullable.summary).toMatch(
      new RegExp(`^The Docker daemon cannot pull 127\\.0\\.0\\.1:${closed}/missing:1: .*connection refused`),
    )
  }, 60_000)
})
