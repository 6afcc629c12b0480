// Uses the fake API server for what the real one (test/probe/real-cluster) cannot show on demand: 5xx storms,
// dropped connections, slow responses, and kubelet behaviour kwok does not simulate (image pulls, a dind that dies).
import {describe, expect, it} from '@jest/globals'
import {startFakeKube, type FakeKube, type FakeKubeOptions} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, runCli, signalWhen, writeRunnerConfig, type CliOptions} from './helpers.js'

/** Agent settings for pods that "run" here: a Docker endpoint nothing listens on, short waits, no outbound. */
const deadDocker = (dindWaitMs: number) => (options: Record<string, unknown>) => ({
  ...options,
  dockerHosts: ['tcp://127.0.0.1:9'],
  dindWaitMs,
  timeoutMs: 300,
  dnsTries: 1,
  gitlabUrl: undefined,
})

async function withFake<T>(options: FakeKubeOptions, body: (fake: FakeKube) => Promise<T>): Promise<T> {
  const fake = await startFakeKube({namespaces: {ci: {}}, ...options, kubelet: {agentOptions: deadDocker(500), ...options.kubelet}})
  try {
    return await body(fake)
  } finally {
    await fake.stop()
  }
}

function probe(fake: FakeKube, extra: string[] = [], config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG), cli: CliOptions = {}) {
  return runCli(
    ['probe', '--kubeconfig', fake.kubeconfigPath, '--config', config, '--format', 'json', '--poll-interval', '100ms', ...extra],
    cli,
  )
}

const createdForReal = (fake: FakeKube) =>
  fake.state.requests.filter((r) => r.method === 'POST' && /\/pods$/.test(r.path) && r.status === 201 && !r.query.includes('dryRun')).length

describe('probe fault matrix on the fake API server: the right diagnosis, and no pod left behind', () => {
  it('fails fast on an image that cannot be pulled, with the kubelet events', async () => {
    await withFake({}, async (fake) => {
      const run = await probe(fake, ['--image', 'registry.example.com/mirror/nodejs:24'])
      expect(run.code).toBe(2)
      const check = run.report!.checks[0]!
      expect(check.summary).toMatch(/Container "(build|helper)" cannot start: ErrImagePull/)
      expect(check.evidence.join('\n')).toContain('Failed to pull image "registry.example.com/mirror/nodejs:24"')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('reports a dind service that dies because it is not privileged', async () => {
    await withFake({}, async (fake) => {
      const config = writeRunnerConfig(`    namespace = "ci"
    [[runners.kubernetes.services]]
      name = "docker:dind"`)
      const run = await probe(fake, [], config)
      expect(run.code).toBe(1)
      const check = run.report!.checks.find((c) => c.id === 'dind-container')!
      expect(check.status).toBe('fail')
      expect(check.evidence.join('\n')).toContain('permission denied (are you root?)')
      expect(check.remediation).toContain('privileged = true')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('rides out API 500s, 503s, dropped connections and a create whose answer was lost', async () => {
    await withFake(
      {
        faults: [
          {method: 'POST', path: /selfsubjectaccessreviews$/, status: 500, times: 2},
          {method: 'POST', path: /\/pods$/, query: /^$/, dropAfterHandling: true, times: 1},
          {method: 'GET', path: /\/pods\/rd-probe-[^/]+$/, drop: true, times: 2},
          {method: 'GET', path: /\/pods\/rd-probe-[^/]+$/, status: 503, times: 1},
          {method: 'GET', path: /\/log$/, status: 500, times: 1},
          {method: 'DELETE', path: /\/pods\//, drop: true, times: 1},
        ],
      },
      async (fake) => {
        const run = await probe(fake)
        expect(run.report?.mode).toBe('mirror-pod')
        expect(run.report!.checks.length).toBeGreaterThan(3)
        expect(run.code).toBe(run.report!.summary.exitCode)
        expect(run.code).not.toBe(2)
        const injected = fake.state.requests.filter((r) => r.status === 0 || r.status >= 500)
        expect(injected.length).toBe(7)
        expect(fake.state.requests.some((r) => r.method === 'POST' && r.status === 409)).toBe(true)
        expect(fake.state.podNames()).toEqual([])
      },
    )
  }, 60_000)

  it('says plainly when the API server keeps failing', async () => {
    await withFake({faults: [{path: /./, status: 503}]}, async (fake) => {
      const run = await probe(fake)
      expect(run.code).toBe(2)
      expect(run.report!.checks[0]!.summary).toContain('the server is currently unable to handle the request')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 60_000)

  it('says plainly when there is no kubeconfig', async () => {
    const run = await runCli(['probe', '--format', 'json'])
    expect(run.code).toBe(2)
    expect(run.report!.summary.verdict).toContain('No kubeconfig was found')
  }, 30_000)
})

describe('probe interrupted during slow API calls (fake API server): nothing left behind', () => {
  it('during the permission checks', async () => {
    await withFake({faults: [{path: /selfsubjectaccessreviews$/, delayMs: 3000}]}, async (fake) => {
      const run = await probe(fake, [], undefined, {onStderr: signalWhen(/Checking \d+ permissions/)})
      expect(run.code).toBe(130)
      expect(run.stderr).toContain('Interrupted by SIGINT')
      expect(run.stderr).toContain('nothing was left behind')
      expect(fake.state.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pods'))).toBe(false)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('while the pod is being created (the create lands after the signal)', async () => {
    await withFake({faults: [{method: 'POST', path: /\/pods$/, query: /^$/, delayMs: 1500}]}, async (fake) => {
      const run = await probe(fake, [], undefined, {onStderr: signalWhen(/Creating pod/)})
      expect(run.code).toBe(130)
      expect(createdForReal(fake)).toBe(1)
      expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)
})
