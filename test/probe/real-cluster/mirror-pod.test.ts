import {createSocket, type Socket} from 'node:dgram'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {VersionApi} from '@kubernetes/client-node'
import {buildMirrorPod, EXPIRES_AT_ANNOTATION, PROBE_LABELS} from '../../../src/probe/cluster/mirror-pod.js'
import {randomLoopbackAddress, udpPortFree} from '../../support/loopback.js'
import {freshNamespace, podNamesSettled, REPO_ROOT, testCluster, type TestCluster} from '../../support/test-cluster.js'
import {PRIVILEGED_TLS_CONFIG, privilegedTls, runCli, signalWhen, writeRunnerConfig} from '../cluster/helpers.js'

/**
 * The mirror pod on the real control plane: the real scheduler places it on a kwok node, the test bed's pod runtime
 * runs its check program as a local process with the pod's resolv.conf (the cluster DNS on loopback), and the probe
 * reads the report from the real log endpoint.
 */
describe('probe against the real API server: the mirror pod', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  const probe = (namespace: string, config: string, extra: string[] = [], options = {}) =>
    runCli(
      [
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        namespace,
        '--config',
        config,
        '--format',
        'json',
        '--poll-interval',
        '200ms',
        '--timeout',
        '500ms',
        '--dind-wait',
        '1s',
        ...extra,
      ],
      options,
    )

  it(
    'a healthy run: scheduled by the real scheduler, the check program really runs in the pod ' +
      'and reports DNS checks, the pod is deleted',
    async () => {
      const namespace = await freshNamespace(cluster, 'mirror')
      const run = await probe(namespace, writeRunnerConfig(PRIVILEGED_TLS_CONFIG))
      const report = run.report!
      expect(report.mode).toBe('mirror-pod')
      expect(report.target?.namespace).toBe(namespace)
      expect(report.target?.pod).toMatch(/^rd-probe-[0-9a-f]{8}$/)
      // node-2 is the tainted pool; the probe pod does not tolerate it, as a job pod would not.
      expect(report.target?.nodes?.[0]).toMatch(/^node-[01]$/)
      expect(run.stderr).toMatch(/Pod rd-probe-[0-9a-f]{8} scheduled on node node-[01]/)
      const dns = report.checks.filter((c) => c.id.startsWith('dns') || c.id.startsWith('resolv'))
      expect(dns.length).toBeGreaterThan(0)
      // The pod's resolv.conf, as the kubelet writes it: the cluster DNS and the namespace's search path.
      expect(JSON.stringify(dns)).toContain(cluster.dnsAddress)
      expect(JSON.stringify(report.checks)).toContain(`${namespace}.svc.cluster.local`)
      // The test bed's dind service (a real dockerd on 127.0.0.1:2375) answers the check program's Docker ping.
      expect(report.checks.find((c) => c.id === 'docker-daemon-localhost-2375')?.status).toBe('pass')
      expect(report.timings.startedMs).toBeGreaterThanOrEqual(report.timings.scheduledMs!)
      expect(run.code).toBe(report.summary.exitCode)
      expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
      expect(run.stdout + run.stderr).not.toContain('do-not-leak')
      expect(run.stdout + run.stderr).not.toContain('glrt-not-a-real-token')
      expect(await podNamesSettled(cluster, namespace)).toEqual([])
    },
    120_000,
  )

  it('the README example: examples/gitlab-runner-values.yaml completes with a report against the real API server', async () => {
    const version = await cluster.kc.makeApiClient(VersionApi).getCode()
    expect(version.gitVersion).toBe(
      `v${readFileSync(join(REPO_ROOT, 'test', 'cluster', 'go.mod'), 'utf8').match(/k8s\.io\/kubernetes v(\S+)/)![1]}`,
    )
    const namespace = await freshNamespace(cluster, 'values')
    const run = await runCli([
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--config',
      join(REPO_ROOT, 'examples', 'gitlab-runner-values.yaml'),
      '-n',
      namespace,
      '--timeout',
      '500ms',
      '--dind-wait',
      '1s',
    ])
    expect([0, 1]).toContain(run.code)
    expect(run.stderr).toMatch(/Running the checks in pod rd-probe-/)
    expect(run.stdout).toMatch(/DNS|resolv/i)
    expect(run.stdout + run.stderr).not.toContain('glrt-YOUR_TOKEN_HERE')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)

  it("a pod no node can fit: the real scheduler's FailedScheduling, said in plain words, exit 2, no pod left", async () => {
    const namespace = await freshNamespace(cluster, 'unschedulable')
    const run = await probe(namespace, writeRunnerConfig(privilegedTls('    cpu_request = "8"')), ['--start-timeout', '4s'])
    expect(run.code).toBe(2)
    const check = run.report!.checks[0]!
    expect(check.id).toBe('pod-start')
    expect(check.summary).toMatch(/^The probe pod was not scheduled within 4s: 0\/3 nodes are available: .*2 Insufficient cpu/)
    expect(check.summary).toContain('1 node(s) had untolerated taint')
    expect(check.evidence.join('\n')).toMatch(/Warning FailedScheduling.*: 0\/3 nodes are available/)
    expect(check.cause).toContain('resource requests')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 90_000)

  it('--cleanup removes probe pods by label and leaves other pods alone', async () => {
    const namespace = await freshNamespace(cluster, 'cleanup')
    const leftover = buildMirrorPod({
      runner: {},
      runId: 'feedbeef',
      name: 'rd-probe-feedbeef',
      namespace,
      agentSource: 'void 0',
      agentOptions: {},
      deadlineSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    })
    await cluster.core.createNamespacedPod({namespace, body: leftover})
    await cluster.core.createNamespacedPod({
      namespace,
      body: {
        metadata: {name: 'job-pod', labels: {app: 'job'}},
        spec: {containers: [{name: 'build', image: 'alpine:3.20', command: ['sleep', '600']}]},
      },
    })
    expect(leftover.metadata?.labels).toMatchObject(PROBE_LABELS)
    expect(Date.parse(leftover.metadata!.annotations![EXPIRES_AT_ANNOTATION]!)).toBeLessThan(Date.now())
    const run = await runCli(['probe', '--kubeconfig', cluster.kubeconfigPath, '-n', namespace, '--cleanup'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Deleted probe pod rd-probe-feedbeef (run feedbeef).')
    expect(await podNamesSettled(cluster, namespace)).toEqual(['job-pod'])
  }, 60_000)
})

/**
 * A runner config whose pods ask a DNS server on loopback that takes every query and never answers, so the check
 * program is surely still running (each query waits for --timeout) when the signal comes.
 */
async function configWithSilentDns(): Promise<string> {
  for (;;) {
    const address = randomLoopbackAddress()
    if (!(await udpPortFree(address))) continue
    const socket = createSocket('udp4')
    await new Promise<void>((resolveBind) => socket.bind(53, address, resolveBind))
    silentSockets.push(socket)
    return writeRunnerConfig(
      privilegedTls(`    dns_policy = "none"
    [runners.kubernetes.dns_config]
      nameservers = ["${address}"]`),
    )
  }
}
const silentSockets: Socket[] = []

describe('probe against the real API server: SIGINT/SIGTERM leave nothing behind', () => {
  let cluster: TestCluster

  afterAll(() => {
    for (const socket of silentSockets) socket.close()
  })

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  const probe = (namespace: string, config: string, extra: string[], onStderr: ReturnType<typeof signalWhen>) =>
    runCli(
      [
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '-n',
        namespace,
        '--config',
        config,
        '--format',
        'json',
        '--poll-interval',
        '200ms',
        ...extra,
      ],
      {onStderr},
    )

  it('during the permission checks', async () => {
    const namespace = await freshNamespace(cluster, 'sig-preflight')
    const run = await probe(namespace, writeRunnerConfig(PRIVILEGED_TLS_CONFIG), [], signalWhen(/Checking \d+ permissions/))
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('Interrupted by SIGINT')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 60_000)

  it('while the pod is being created', async () => {
    const namespace = await freshNamespace(cluster, 'sig-create')
    // Checks that take seconds (a nameserver that never answers): on a loaded machine the test reads "Creating pod"
    // late, and a probe that had already finished could not be interrupted (seen once as exit code 1 in a full run).
    const run = await probe(namespace, await configWithSilentDns(), ['--timeout', '20s'], signalWhen(/Creating pod/))
    expect(run.code).toBe(130)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 60_000)

  it('while waiting for a pod the scheduler cannot place', async () => {
    const namespace = await freshNamespace(cluster, 'sig-pending')
    const run = await probe(namespace, writeRunnerConfig(privilegedTls('    cpu_request = "8"')), [], signalWhen(/cannot be scheduled/))
    expect(run.code).toBe(130)
    expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 60_000)

  it('while the checks run (SIGTERM): the pod and its check program are gone', async () => {
    const namespace = await freshNamespace(cluster, 'sig-checks')
    const runtimeLog = () => readFileSync(join(cluster.dir, 'logs', 'pod-runtime.log'), 'utf8')
    let pod: string | undefined
    let sent = false
    // Signalled once the test bed's runtime has really started the check program of this pod.
    const onStderr: ReturnType<typeof signalWhen> = (stderr, signal) => {
      pod ??= /Running the checks in pod (rd-probe-[0-9a-f]{8})/.exec(stderr)?.[1]
      if (!pod || sent) return
      const started = setInterval(() => {
        if (!runtimeLog().includes(`started ${namespace}/${pod} container build`)) return
        clearInterval(started)
        signal('SIGTERM')
      }, 50)
      sent = true
    }
    const run = await probe(namespace, await configWithSilentDns(), ['--timeout', '20s'], onStderr)
    expect(run.code).toBe(143)
    expect(run.stderr).toContain(`Deleted pod ${pod}.`)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
    for (let i = 0; i < 50 && !runtimeLog().includes(`pod ${namespace}/${pod} is gone; killed container process`); i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(runtimeLog()).toContain(`pod ${namespace}/${pod} is gone; killed container process`)
  }, 60_000)

  it('while the checks run (SIGINT)', async () => {
    const namespace = await freshNamespace(cluster, 'sig-int-checks')
    const run = await probe(namespace, await configWithSilentDns(), ['--timeout', '20s'], signalWhen(/Running the checks/))
    expect(run.code).toBe(130)
    expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 60_000)
})
