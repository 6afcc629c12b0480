import {type ChildProcess, execFileSync, spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {stopChild} from './dnsmasq.js'

export interface TlsFiles {
  dir: string
  /** ca.pem, cert.pem, key.pem for the client, the layout dind writes to /certs/client. */
  clientDir: string
  serverCa: string
  serverCert: string
  serverKey: string
}

export interface Dockerd {
  url: string
  port: number
  tls?: TlsFiles
  stop(): Promise<void>
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

function requireBinary(name: string, debianPackage: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    throw new Error(`${name} is not installed; run \`bash test/support/system-deps.sh\` (Debian package ${debianPackage}).`)
  }
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, {cwd, stdio: ['ignore', 'ignore', 'pipe']})
}

/**
 * A CA plus server and client certificates shaped like the ones dind generates: the server certificate names
 * docker, localhost and 127.0.0.1; the client certificate is for client authentication.
 */
export function generateDockerTls(dir: string, caName = 'runner-doctor test CA'): TlsFiles {
  requireBinary('openssl', 'openssl')
  mkdirSync(dir, {recursive: true})
  const clientDir = join(dir, 'client')
  mkdirSync(clientDir, {recursive: true})
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}`],
    dir,
  )
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:docker,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=docker:dind server'],
    dir,
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      'server-cert.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    dir,
  )
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n')
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join('client', 'key.pem'), '-out', 'client.csr', '-subj', '/CN=docker:dind client'],
    dir,
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      join('client', 'cert.pem'),
      '-days',
      '2',
      '-extfile',
      'client.ext',
    ],
    dir,
  )
  execFileSync('cp', [join(dir, 'ca.pem'), join(clientDir, 'ca.pem')])
  return {dir, clientDir, serverCa: join(dir, 'ca.pem'), serverCert: join(dir, 'server-cert.pem'), serverKey: join(dir, 'server-key.pem')}
}

/**
 * Starts Debian's dockerd on 127.0.0.1:<free port> with its own data and exec roots, no iptables and no bridge
 * (nothing touches the host network). With `tls`, it runs like dind in TLS mode: --tlsverify with the given CA.
 */
export async function startDockerd(options: {tls?: TlsFiles} = {}): Promise<Dockerd> {
  requireBinary('dockerd', 'docker.io')
  const root = mkdtempSync(join(tmpdir(), 'rd-dockerd-'))
  const port = await freeLoopbackPort()
  const args = [
    `-H`,
    `tcp://127.0.0.1:${port}`,
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    '--storage-driver=vfs',
    `--data-root=${join(root, 'data')}`,
    `--exec-root=${join(root, 'exec')}`,
    `--pidfile=${join(root, 'dockerd.pid')}`,
    '--log-level=info',
  ]
  if (options.tls)
    args.push(
      '--tlsverify',
      `--tlscacert=${options.tls.serverCa}`,
      `--tlscert=${options.tls.serverCert}`,
      `--tlskey=${options.tls.serverKey}`,
    )
  const child = spawn('dockerd', args, {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const ready = await waitFor(child, () => log.includes(`API listen on 127.0.0.1:${port}`), 60_000)
  if (!ready) {
    await stopChild(child)
    rmSync(root, {recursive: true, force: true})
    throw new Error(`dockerd did not start on 127.0.0.1:${port}:\n${log.split('\n').slice(-15).join('\n')}`)
  }
  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    tls: options.tls,
    async stop() {
      await stopChild(child, 15_000)
      rmSync(root, {recursive: true, force: true})
    },
  }
}

function waitFor(child: ChildProcess, condition: () => boolean, limitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearInterval(timer)
      clearTimeout(limit)
      resolve(ok)
    }
    const timer = setInterval(() => condition() && finish(true), 50)
    const limit = setTimeout(() => finish(false), limitMs)
    child.once('exit', () => finish(condition()))
  })
}
