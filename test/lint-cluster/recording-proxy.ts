import {readFileSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import {request} from 'node:https'
import {join} from 'node:path'

/** One request that passed through the proxy, with what the API server answered. */
export interface RecordedCall {
  method: string
  path: string
  accept: string
  impersonate?: string
  status: number
  body: string
}

/**
 * A loopback HTTP proxy in front of the test bed's real API server that records every request: the CLI talks to it
 * through a kubeconfig without credentials, and the proxy forwards with the admin's client certificate.
 */
export async function recordingProxy(
  dir: string,
  server: string,
): Promise<{kubeconfig: string; calls: RecordedCall[]; close(): Promise<void>}> {
  const pki = join(dir, 'pki')
  const upstream = {
    ca: readFileSync(join(pki, 'ca.crt')),
    cert: readFileSync(join(pki, 'admin.crt')),
    key: readFileSync(join(pki, 'admin.key')),
  }
  const calls: RecordedCall[] = []
  const proxy: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c: Buffer) => chunks.push(c))
    incoming.on('end', () => {
      const headers = {...incoming.headers}
      delete headers.host
      const forwarded = request(new URL(incoming.url ?? '/', server), {method: incoming.method, headers, ...upstream}, (answer) => {
        const body: Buffer[] = []
        answer.on('data', (c: Buffer) => body.push(c))
        answer.on('end', () => {
          const text = Buffer.concat(body).toString('utf8')
          calls.push({
            method: incoming.method ?? '',
            path: incoming.url ?? '',
            accept: String(incoming.headers.accept ?? ''),
            impersonate: incoming.headers['impersonate-user'] as string | undefined,
            status: answer.statusCode ?? 0,
            body: text,
          })
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
          outgoing.end(text)
        })
      })
      forwarded.on('error', (error) => {
        outgoing.writeHead(502)
        outgoing.end(error.message)
      })
      forwarded.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const address = proxy.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const kubeconfig = join(dir, `recording-proxy-${port}.kubeconfig`)
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: recorded
  cluster:
    server: http://127.0.0.1:${port}
    insecure-skip-tls-verify: true
users:
- name: through-proxy
  user: {}
contexts:
- name: recorded
  context: {cluster: recorded, user: through-proxy}
current-context: recorded
`,
  )
  return {kubeconfig, calls, close: () => new Promise((resolve) => proxy.close(() => resolve()))}
}
