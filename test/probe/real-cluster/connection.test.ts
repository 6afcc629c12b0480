import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {request as httpsRequest} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {KubeReader} from '../../../src/cluster/kube-http.js'
import {runCredentialPlugin} from '../../../src/kube/exec-credential.js'
import {ClientKubeApi, KubeConfigError, prepareKubeConfig} from '../../../src/probe/cluster/kube-api.js'
import {loopbackConnectProxy} from '../../support/egress.js'
import {freshNamespace, testCluster, waitForPod, type TestCluster} from '../../support/test-cluster.js'
import {runCli} from '../cluster/helpers.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'rd-connection-'))

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

function kubeconfigFile(dir: string, cluster: string, user: string): string {
  const path = join(dir, 'kubeconfig')
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n${cluster}\nusers:\n- name: ` +
      `u\n  user:\n${user}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: x\n`,
  )
  return path
}

/**
 * What `kubectl proxy` is: plain http on 127.0.0.1 that forwards to the API server with the admin's credentials, and
 * refuses exec and attach (its default --reject-paths) with 403 "Forbidden".
 */
async function kubectlProxyLike(cluster: TestCluster): Promise<{server: Server; url: string}> {
  const api = new URL(cluster.server)
  const tls = {
    ca: readFileSync(join(cluster.dir, 'pki', 'ca.crt')),
    cert: readFileSync(join(cluster.dir, 'pki', 'admin.crt')),
    key: readFileSync(join(cluster.dir, 'pki', 'admin.key')),
  }
  const rejected = /^\/api\/.*\/pods\/.*\/(exec|attach)/
  const server = createServer((req, res) => {
    if (rejected.test(req.url!)) return void res.writeHead(403, {'Content-Type': 'text/plain'}).end('Forbidden')
    const upstream = httpsRequest(
      {host: api.hostname, port: api.port, path: req.url, method: req.method, headers: {...req.headers, host: api.host}, ...tls},
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('upgrade', (req, socket) => {
    if (rejected.test(req.url!))
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nForbidden')
    else socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

/** Reaching the real API server as kubectl does: credential plugins, proxies, kubectl proxy's plain http. */
describe('probe against the real API server: reaching it as kubectl does', () => {
  let cluster: TestCluster
  let namespace: string
  const servers: Server[] = []
  const proxies: Array<{stop: () => Promise<void>}> = []
  let certificate: {cert: string; key: string}

  beforeAll(async () => {
    cluster = await testCluster()
    namespace = await freshNamespace(cluster, 'connection')
    certificate = {
      cert: readFileSync(join(cluster.dir, 'pki', 'admin.crt'), 'utf8'),
      key: readFileSync(join(cluster.dir, 'pki', 'admin.key'), 'utf8'),
    }
  }, 45 * 60_000)

  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop()
    for (const server of servers) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  const caLine = () => `    certificate-authority: ${join(cluster.dir, 'pki', 'ca.crt')}`

  it('an exec credential plugin runs once, without stdin, before any call: a whole mirror run makes one login', async () => {
    const dir = scratch()
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: {clientCertificateData: certificate.cert, clientKeyData: certificate.key},
    })
    writeFileSync(join(dir, 'credential.json'), credential)
    // Counts its runs, and proves stdin is closed (an interactive login would wait on it).
    const plugin = script(
      dir,
      'login.sh',
      `echo run >> "${dir}/runs"\nif read -r line; then echo "stdin was open" >&2; exit 3; fi\ncat "${dir}/credential.json"`,
    )
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: ${cluster.server}\n${caLine()}`,
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}`,
    )
    const run = await runCli([
      'probe',
      '--kubeconfig',
      kubeconfig,
      '-n',
      namespace,
      '--format',
      'json',
      '--timeout',
      '500ms',
      '--poll-interval',
      '200ms',
    ])
    expect(run.report?.checks.some((c) => c.id === 'dns-cluster-name')).toBe(true)
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('run\n')
  }, 90_000)

  it('a missing plugin is named with the PATH searched, not "API server unreachable"', async () => {
    const dir = scratch()
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: ${cluster.server}\n${caLine()}`,
      '    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: rd-no-such-auth-plugin\n      ' +
        'installHint: Install rd-no-such-auth-plugin from your cloud vendor.',
    )
    const run = await runCli(['probe', '--kubeconfig', kubeconfig, '-n', namespace, '--format', 'json'])
    expect(run.code).toBe(2)
    expect(run.report!.summary.verdict).toMatch(
      /^The probe could not run: The kubeconfig's credential plugin "rd-no-such-auth-plugin" was not found \(PATH=.+\): Install rd-no-such-auth-plugin from your cloud vendor\.$/,
    )
    expect(run.stdout).not.toMatch(/unreachable|ENOENT/)
  }, 30_000)

  it('a failing plugin: its first stderr lines, secrets removed, not "API server refused"', async () => {
    const dir = scratch()
    const plugin = script(
      dir,
      'login.sh',
      `echo "error: refresh token expired for user ci" >&2\necho "request had Authorization: Bearer ` +
        `abcdefghijklmnopqrstuvwxyz0123456789ABCDEF and token=s3cr3t-value" >&2\nexit 1`,
    )
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: ${cluster.server}\n${caLine()}`,
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}`,
    )
    const run = await runCli(['probe', '--kubeconfig', kubeconfig, '-n', namespace, '--format', 'json'])
    expect(run.code).toBe(2)
    expect(run.report!.summary.verdict).toBe(
      `The probe could not run: The kubeconfig's credential plugin "${plugin}" failed (exit 1): ` +
        `error: refresh token expired for user ci | request had Authorization: Bearer [redacted] and token=[redacted]`,
    )
    expect(run.stdout + run.stderr).not.toMatch(/s3cr3t|abcdefghijklmnop/)
  }, 30_000)

  it('a plugin that hangs (an interactive login) is stopped at its deadline and said so', () => {
    const dir = scratch()
    const plugin = script(dir, 'login.sh', 'exec sleep 30')
    const started = Date.now()
    expect(() => runCredentialPlugin({command: plugin}, dir, process.env, {timeoutMs: 700})).toThrow(
      `the kubeconfig's credential plugin "${plugin}" did not answer within 1 s; it may be waiting ` +
        `for an interactive login: run "${plugin}" once in a terminal, then retry`,
    )
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it("expired credentials from a plugin are told apart from the plugin's failure", () => {
    const dir = scratch()
    const plugin = script(
      dir,
      'login.sh',
      `echo '${JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: {token: 't', expirationTimestamp: '2020-01-01T00:00:00Z'},
      })}'`,
    )
    expect(() => runCredentialPlugin({command: plugin}, dir, process.env)).toThrow(
      `the credentials from plugin "${plugin}" expired at 2020-01-01T00:00:00Z`,
    )
  })

  it("the kubeconfig's proxy-url carries the API calls: the loopback proxy sees the CONNECT", async () => {
    const proxy = await loopbackConnectProxy()
    proxies.push(proxy)
    const dir = scratch()
    const port = new URL(cluster.server).port
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: https://localhost:${port}\n${caLine()}\n    proxy-url: ${proxy.url}`,
      `    client-certificate: ${join(cluster.dir, 'pki', 'admin.crt')}\n    client-key: ${join(cluster.dir, 'pki', 'admin.key')}`,
    )
    const run = await runCli(['probe', '--kubeconfig', kubeconfig, '-n', namespace, '--cleanup'])
    expect(run.stderr).toContain(`Reaching the API through the proxy ${proxy.url}/.`)
    // A cleanup that cannot reach the cluster says so as cleanup does, not as a mirror-pod report it never makes.
    const unreadable = await runCli(['probe', '--kubeconfig', join(dir, 'absent'), '--cleanup', '--format', 'json'])
    expect(unreadable.code).toBe(2)
    expect(unreadable.stdout).toBe('')
    expect(unreadable.stderr).toContain(`Cleanup failed: The kubeconfig could not be read: ENOENT`)
    expect(run.stderr).toContain(`No probe pods in namespace ${namespace}.`)
    expect(run.code).toBe(0)
    expect(proxy.targets).toContain(`localhost:${port}`)
  }, 30_000)

  it('lint --cluster takes the same path: its reader tunnels through proxy-url with the CA and client certificate end to end', async () => {
    const proxy = await loopbackConnectProxy()
    proxies.push(proxy)
    const dir = scratch()
    const port = new URL(cluster.server).port
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: https://kubernetes:${port}\n${caLine()}\n    proxy-url: ${proxy.url}`,
      `    client-certificate: ${join(cluster.dir, 'pki', 'admin.crt')}\n    client-key: ${join(cluster.dir, 'pki', 'admin.key')}`,
    )
    const reader = await KubeReader.open({kubeconfig})
    const version = await reader.get<{gitVersion: string}>('/version')
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/)
    expect(proxy.targets).toEqual([`kubernetes:${port}`])
  }, 30_000)

  it('HTTPS_PROXY carries the API calls unless NO_PROXY names the server, as in kubectl', async () => {
    const proxy = await loopbackConnectProxy()
    proxies.push(proxy)
    const dir = scratch()
    const port = new URL(cluster.server).port
    // `kubernetes` is in the server certificate; only the proxy knows where it is (it maps it to 127.0.0.1).
    const kubeconfig = kubeconfigFile(
      dir,
      `    server: https://kubernetes:${port}\n${caLine()}`,
      `    client-certificate: ${join(cluster.dir, 'pki', 'admin.crt')}\n    client-key: ${join(cluster.dir, 'pki', 'admin.key')}`,
    )
    expect(prepareKubeConfig({kubeconfig}, {HTTPS_PROXY: proxy.url, NO_PROXY: 'kubernetes'}).proxy).toBeUndefined()
    const prepared = prepareKubeConfig({kubeconfig}, {HTTPS_PROXY: proxy.url, NO_PROXY: '.example.com,10.0.0.0/8'})
    // Guard: nothing below may try to resolve `kubernetes` itself.
    expect(prepared.proxy).toBe(proxy.url)
    const kube = new ClientKubeApi(prepared)
    expect((await kube.listPods(namespace)).map((p) => p.metadata?.name)).toEqual([])
    expect(proxy.targets).toContain(`kubernetes:${port}`)
  }, 30_000)

  it('kubectl proxy-style plain http on 127.0.0.1 works, and attach mode through it says that kubectl proxy blocks exec', async () => {
    const local = await kubectlProxyLike(cluster)
    servers.push(local.server)
    const dir = scratch()
    const kubeconfig = kubeconfigFile(dir, `    server: ${local.url}`, '    {}')
    const cleanup = await runCli(['probe', '--kubeconfig', kubeconfig, '-n', namespace, '--cleanup'])
    expect(cleanup.stderr).toContain(`No probe pods in namespace ${namespace}.`)
    expect(cleanup.code).toBe(0)

    await cluster.core.createNamespacedPod({
      namespace,
      body: {
        metadata: {name: 'job'},
        spec: {containers: [{name: 'build', image: 'node:22', command: ['node', '-e', 'setTimeout(() => {}, 600000)']}]},
      },
    })
    await waitForPod(cluster, namespace, 'job', (pod) => pod.status?.phase === 'Running')
    const attach = await runCli(['probe', '--kubeconfig', kubeconfig, '-n', namespace, '--pod', 'job', '--format', 'json'])
    expect(attach.stderr).toContain('kubectl proxy refuses exec by default')
    expect(attach.code).toBe(2)
    const exec = attach.report!.checks.find((c) => c.id === 'probe-exec')!
    expect(exec.summary).toBe('Exec into container build of pod job is forbidden: pods/exec (verbs get and create) is missing.')
    expect(exec.cause).toBe('kubectl proxy or the identity behind it refuses exec.')
  }, 60_000)

  it('plain http to a host off loopback is refused before any connection, with the kubeconfig line to add', async () => {
    const dir = scratch()
    // 192.0.2.0/24 is TEST-NET-1: nothing answers there, and nothing is sent (the refusal comes first).
    const kubeconfig = kubeconfigFile(dir, '    server: http://192.0.2.10:8080', '    token: not-a-secret')
    expect(() => prepareKubeConfig({kubeconfig})).toThrow(KubeConfigError)
    const started = Date.now()
    const run = await runCli(['probe', '--kubeconfig', kubeconfig, '--format', 'json'])
    expect(run.code).toBe(2)
    expect(run.report!.summary.verdict).toBe(
      `The probe could not run: cluster "c" is plain http to 192.0.2.10:8080, which sends your credentials ` +
        `unencrypted; use its https address, or, to accept that, add the line "insecure-skip-tls-verify: ` +
        `true" under the cluster "c" entry of ${kubeconfig} (only http on 127.0.0.1/::1/localhost, ` +
        `as kubectl proxy serves, needs no such line)`,
    )
    expect(run.stderr).not.toMatch(/retry|attempt/i)
    expect(Date.now() - started).toBeLessThan(10_000)
  }, 30_000)
})
