import {describe, expect, it} from '@jest/globals'
import {startFakeKube, type FakeKube, type FakeKubeOptions} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, privilegedTls, runCli, signalWhen, writeRunnerConfig, type CliOptions} from './helpers.js'

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
  return runCli(['probe', '--kubeconfig', fake.kubeconfigPath, '--config', config, '--format', 'json', '--poll-interval', '100ms', ...extra], cli)
}

const createdForReal = (fake: FakeKube) =>
  fake.state.requests.filter((r) => r.method === 'POST' && /\/pods$/.test(r.path) && r.status === 201 && !r.query.includes('dryRun')).length

describe('probe fault matrix: the right diagnosis, and no pod left behind', () => {
  it('names every missing permission before creating anything (RBAC denied)', async () => {
    await withFake(
      {rbac: [{verbs: ['create', 'get', 'delete', 'list'], resources: ['pods'], namespaces: ['ci']}]},
      async (fake) => {
        const run = await probe(fake)
        expect(run.code).toBe(2)
        const check = run.report!.checks[0]!
        expect(check.id).toBe('kube-permissions')
        expect(check.summary).toBe('Missing permissions in namespace ci: get pods/log, list events.')
        expect(check.evidence.join('\n')).toContain('resources: ["pods/log"]')
        expect(fake.state.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pods'))).toBe(false)
        expect(fake.state.podNames()).toEqual([])
      },
    )
  }, 30_000)

  it('reports a PodSecurity refusal with the namespace label, from the dry run', async () => {
    await withFake({namespaces: {ci: {labels: {'pod-security.kubernetes.io/enforce': 'baseline'}}}}, async (fake) => {
      const run = await probe(fake)
      expect(run.code).toBe(2)
      const check = run.report!.checks[0]!
      expect(check.id).toBe('kube-admission')
      expect(check.summary).toContain('pod-security.kubernetes.io/enforce=baseline')
      // `privileged = true` applies to every container of a job pod, as in the runner.
      expect(check.evidence[0]).toMatch(/^pods "rd-probe-[0-9a-f]{8}" is forbidden: violates PodSecurity "baseline:latest": privileged \(containers "build", "helper", "docker" must not set securityContext.privileged=true\)$/)
      expect(createdForReal(fake)).toBe(0)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('names only the dind container when only services are privileged', async () => {
    await withFake({namespaces: {ci: {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}}}}, async (fake) => {
      const config = writeRunnerConfig(`    namespace = "ci"
    [runners.kubernetes.service_container_security_context]
      privileged = true`)
      const run = await probe(fake, [], config)
      expect(run.code).toBe(2)
      expect(run.report!.checks[0]!.summary).toContain('pod-security.kubernetes.io/enforce=restricted')
      expect(run.report!.checks[0]!.evidence[0]).toContain('violates PodSecurity "restricted:latest": privileged (container "docker" must not set securityContext.privileged=true), allowPrivilegeEscalation != false')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('reports an invalid runner pod spec (dns_policy none without nameservers) from the dry run', async () => {
    await withFake({}, async (fake) => {
      const run = await probe(fake, [], writeRunnerConfig(privilegedTls('    dns_policy = "none"')))
      expect(run.code).toBe(2)
      expect(run.report!.checks[0]!.summary).toContain('spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('shows the scheduler message while waiting and gives up at --start-timeout (unschedulable)', async () => {
    await withFake({}, async (fake) => {
      const run = await probe(fake, ['--start-timeout', '1500ms'], writeRunnerConfig(privilegedTls('    cpu_request = "3"')))
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.')
      const check = run.report!.checks[0]!
      expect(check.id).toBe('pod-start')
      expect(check.evidence.join('\n')).toContain('Warning FailedScheduling')
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

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
      const config = writeRunnerConfig(`    namespace = "ci"`)
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

describe('probe interrupted: SIGINT/SIGTERM at each phase leaves nothing behind', () => {
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

  it('while waiting for the pod to be scheduled', async () => {
    await withFake({kubelet: {scheduleMs: 60_000, agentOptions: deadDocker(500)}}, async (fake) => {
      let pendingSeen = false
      const run = await probe(fake, [], undefined, {
        onStderr: (stderr, signal) => {
          if (!pendingSeen && /Creating pod/.test(stderr)) {
            pendingSeen = true
            setTimeout(() => {
              expect(fake.state.podNames()).toHaveLength(1)
              signal('SIGINT')
            }, 600)
          }
        },
      })
      expect(run.code).toBe(130)
      expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('while the checks run (SIGINT), killing the check program with the pod', async () => {
    await withFake({kubelet: {agentOptions: deadDocker(20_000)}}, async (fake) => {
      const run = await probe(fake, [], undefined, {onStderr: signalWhen(/Running the checks/)})
      expect(run.code).toBe(130)
      expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)

  it('while the checks run (SIGTERM)', async () => {
    await withFake({kubelet: {agentOptions: deadDocker(20_000)}}, async (fake) => {
      const run = await probe(fake, [], undefined, {onStderr: signalWhen(/Running the checks/, 'SIGTERM')})
      expect(run.code).toBe(143)
      expect(fake.state.podNames()).toEqual([])
    })
  }, 30_000)
})
