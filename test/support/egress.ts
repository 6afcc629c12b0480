import {execSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {type AddressInfo, connect as netConnect} from 'node:net'
import {tmpdir} from 'node:os'
import type {Duplex} from 'node:stream'
import {join} from 'node:path'

/**
 * An HTTP CONNECT proxy on loopback that records each tunnel's target. Every name is sent to 127.0.0.1, so a host
 * only "the proxy knows" (gitlab.test, kubernetes) is reachable through it and through nothing else.
 */
export async function loopbackConnectProxy(): Promise<{server: Server; url: string; targets: string[]; stop: () => Promise<void>}> {
  const targets: string[] = []
  // Tunnels are upgraded sockets that server.close() does not end; kept-alive clients would hold it open for ever.
  const tunnels = new Set<Duplex>()
  const server = createServer((_req, res) => res.writeHead(405).end())
  server.on('connect', (req, client, head) => {
    targets.push(req.url!)
    tunnels.add(client)
    const upstream = netConnect(Number(req.url!.split(':').at(-1)), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const stop = async () => {
    for (const tunnel of tunnels) tunnel.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, stop}
}

/** A throwaway CA (openssl) and a server certificate it signs for the given subjectAltName (`DNS:x,IP:y`). */
export function testCertificate(subjectAltName: string): {caFile: string; key: Buffer; cert: Buffer} {
  const dir = mkdtempSync(join(tmpdir(), 'rd-test-ca-'))
  const sh = (command: string) => execSync(`${command} 2>/dev/null`, {cwd: dir, stdio: 'pipe'})
  sh('openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj "/CN=rd test CA"')
  sh('openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=rd test server"')
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${subjectAltName}\n`)
  sh('openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext')
  return {caFile: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem'))}
}
