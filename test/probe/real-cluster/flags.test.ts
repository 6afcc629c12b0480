import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from '@jest/globals'
import {loopbackConnectProxy, testCertificate} from '../../support/egress.js'
import {freshNamespace, podNamesSettled, testCluster, type TestCluster} from '../../support/test-cluster.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from '../cluster/helpers.js'

/** Every flag means the same in every mode, or cluster mode refuses it: nothing the user asked for is dropped. */
describe('probe against the real API server: local flags in cluster mode', () => {
  let cluster: TestCluster
  let namespace: string

  beforeAll(async () => {
    cluster = await testCluster()
    namespace = await freshNamespace(cluster, 'flags')
  }, 45 * 60_000)

  it('--docker-host applies in the pod: the checks there try that endpoint', async () => {
    // A Docker API on loopback (kwok runs the pod's checks on this machine): GET /_ping answers as dockerd does.
    const docker = createServer((req, res) =>
      res.writeHead(200, {'Api-Version': '1.47', 'Content-Type': 'text/plain'}).end(req.url === '/_ping' ? 'OK' : '{}'),
    )
    await new Promise<void>((resolve) => docker.listen(0, '127.0.0.1', resolve))
    const port = (docker.address() as AddressInfo).port
    try {
      const config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG.replace('namespace = "ci"', `namespace = "${namespace}"`))
      const run = await runCli([
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--config',
        config,
        '--format',
        'json',
        '--timeout',
        '500ms',
        '--poll-interval',
        '200ms',
        '--docker-host',
        `tcp://127.0.0.1:${port}`,
      ])
      const ids = run.report!.checks.map((c) => c.id)
      // The endpoint asked for replaces the defaults (localhost:2375), as with --local; the runner's DOCKER_HOST is added.
      expect(ids).not.toContain('docker-daemon-localhost-2375')
      expect(ids).toContain('docker-daemon-docker-2376')
      expect(run.report!.checks.find((c) => c.id === `docker-daemon-127-0-0-1-${port}`)?.evidence).toContain(
        `endpoint: tcp://127.0.0.1:${port} (from --docker-host)`,
      )
      expect(run.report!.checks.find((c) => c.id === `docker-daemon-127-0-0-1-${port}`)?.status).toBe('pass')
      expect(await podNamesSettled(cluster, namespace)).toEqual([])
    } finally {
      docker.close()
    }
  }, 90_000)

  it("the runner's proxy variables reach the probe pod's environment, as a job's", async () => {
    const config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG.replace('namespace = "ci"', `namespace = "${namespace}"`))
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        '"SECRET_THING=do-not-leak"]',
        '"SECRET_THING=do-not-leak", "HTTPS_PROXY=http://127.0.0.1:3128", "no_proxy=.svc,.cluster.local"]',
      ),
    )
    // The checks' verdict does not matter here (a test bed without dind waits for it): a short --checks-timeout ends the run.
    const running = runCli([
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--config',
      config,
      '--format',
      'json',
      '--timeout',
      '500ms',
      '--poll-interval',
      '200ms',
      '--checks-timeout',
      '3s',
    ])
    // Read the probe pod while it exists: its build container's environment as the API server stored it.
    let env: Record<string, string | undefined> | undefined
    for (let i = 0; i < 300 && !env; i++) {
      const pod = (await cluster.core.listNamespacedPod({namespace})).items.find((p) => p.metadata?.name?.startsWith('rd-probe-'))
      const build = pod?.spec?.containers.find((c) => c.name === 'build')
      if (build) env = Object.fromEntries((build.env ?? []).map((e) => [e.name, e.value]))
      else await new Promise((r) => setTimeout(r, 50))
    }
    await running
    expect(env?.HTTPS_PROXY).toBe('http://127.0.0.1:3128')
    expect(env?.no_proxy).toBe('.svc,.cluster.local')
    expect(env?.SECRET_THING).toBeUndefined()
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 90_000)

  it('--tls-ca-file is carried into the pod: the GitLab handshake there trusts it, and fails without it', async () => {
    const certificate = testCertificate('DNS:localhost,IP:127.0.0.1')
    const gitlab = createHttpsServer(certificate, (_req, res) => res.writeHead(200).end('ok'))
    await new Promise<void>((resolve) => gitlab.listen(0, '127.0.0.1', resolve))
    const docker = createServer((req, res) => res.writeHead(200, {'Api-Version': '1.47'}).end(req.url === '/_ping' ? 'OK' : '{}'))
    await new Promise<void>((resolve) => docker.listen(0, '127.0.0.1', resolve))
    try {
      const args = [
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        namespace,
        '--format',
        'json',
        '--timeout',
        '2s',
        '--poll-interval',
        '200ms',
        '--gitlab-url',
        `https://localhost:${(gitlab.address() as AddressInfo).port}`,
        '--docker-host',
        `tcp://127.0.0.1:${(docker.address() as AddressInfo).port}`,
      ]
      const trusted = await runCli([...args, '--tls-ca-file', certificate.caFile])
      expect(trusted.stderr).not.toContain('could not run')
      expect(trusted.report!.checks.find((c) => c.id === 'outbound-gitlab')?.status).toBe('pass')
      const untrusted = await runCli(args)
      expect(untrusted.report!.checks.find((c) => c.id === 'outbound-gitlab')?.status).toBe('fail')
      expect(await podNamesSettled(cluster, namespace)).toEqual([])
    } finally {
      gitlab.close()
      docker.close()
    }
  }, 90_000)

  it("the outbound checks in the pod go through the runner's HTTPS_PROXY with CONNECT, as a job's traffic does", async () => {
    const certificate = testCertificate('DNS:gitlab.test')
    const gitlab = createHttpsServer(certificate, (_req, res) => res.writeHead(200).end('ok'))
    await new Promise<void>((resolve) => gitlab.listen(0, '127.0.0.1', resolve))
    // The egress proxy: only it knows where gitlab.test is.
    const proxy = await loopbackConnectProxy()
    const docker = createServer((req, res) => res.writeHead(200, {'Api-Version': '1.47'}).end(req.url === '/_ping' ? 'OK' : '{}'))
    await new Promise<void>((resolve) => docker.listen(0, '127.0.0.1', resolve))
    try {
      const proxyUrl = proxy.url
      const config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG.replace('namespace = "ci"', `namespace = "${namespace}"`))
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace('"SECRET_THING=do-not-leak"]', `"HTTPS_PROXY=${proxyUrl}", "NO_PROXY=.svc,.cluster.local"]`),
      )
      const gitlabPort = (gitlab.address() as AddressInfo).port
      const run = await runCli([
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--config',
        config,
        '--format',
        'json',
        '--timeout',
        '2s',
        '--poll-interval',
        '200ms',
        '--gitlab-url',
        `https://gitlab.test:${gitlabPort}`,
        '--tls-ca-file',
        certificate.caFile,
        '--docker-host',
        `tcp://127.0.0.1:${(docker.address() as AddressInfo).port}`,
      ])
      const outbound = run.report!.checks.find((c) => c.id === 'outbound-gitlab')!
      expect(outbound.status).toBe('pass')
      expect(outbound.summary).toMatch(new RegExp(`^GitLab at gitlab.test:${gitlabPort} through the proxy 127.0.0.1:\\d+: CONNECT in `))
      expect(proxy.targets).toContain(`gitlab.test:${gitlabPort}`)
      expect(await podNamesSettled(cluster, namespace)).toEqual([])
    } finally {
      gitlab.close()
      await proxy.stop()
      docker.close()
    }
  }, 90_000)

  it.each([
    [
      '--resolv-conf',
      "--resolv-conf applies to --local only: the checks in the pod read the pod's own /etc/resolv.conf; " +
        'set dns_policy/dns_config in --config to change it.',
    ],
    [
      '--hosts-file',
      "--hosts-file applies to --local only: the checks in the pod read the pod's own /etc/hosts; " +
        'set host_aliases in --config to change it.',
    ],
  ])(
    '%s is refused with exit 2 and one line, before anything is created',
    async (flag, message) => {
      const file = join(mkdtempSync(join(tmpdir(), 'rd-flag-')), 'file')
      writeFileSync(file, '')
      const run = await runCli(['probe', '--kubeconfig', cluster.kubeconfigPath, '-n', namespace, flag, file])
      expect(run.code).toBe(2)
      expect(run.stderr).toBe(`runner-doctor probe: ${message}\n`)
      expect(await podNamesSettled(cluster, namespace)).toEqual([])
    },
    30_000,
  )
})
