import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {startDnsmasq, type Dnsmasq} from '../../support/dnsmasq.js'
import {startDockerd, type Dockerd} from '../../support/dockerd.js'
import {startFakeKube, type FakeKube} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from './helpers.js'

describe('probe mirror pod against the fake API server (real client, real check program, real dockerd and dnsmasq)', () => {
  let dockerd: Dockerd
  let dnsmasq: Dnsmasq
  let fake: FakeKube

  beforeAll(async () => {
    ;[dockerd, dnsmasq] = await Promise.all([
      startDockerd(),
      startDnsmasq({records: {'kubernetes.default.svc.cluster.local': '127.0.0.1'}, localDomains: ['cluster.local']}),
    ])
    fake = await startFakeKube({
      namespaces: {ci: {}},
      kubelet: {
        clusterDns: dnsmasq.address,
        // The pod "runs" here: its dind is the test dockerd, and nothing outside loopback is contacted.
        agentOptions: (options) => ({...options, dockerHosts: [dockerd.url], dindWaitMs: 5000, timeoutMs: 800, gitlabUrl: undefined}),
      },
    })
  }, 120_000)

  afterAll(async () => {
    await fake?.stop()
    await Promise.all([dockerd?.stop(), dnsmasq?.stop()])
  })

  it('creates the pod, runs the checks in it, reports them with timings and deletes the pod', async () => {
    const config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG)
    const started = performance.now()
    const run = await runCli(['probe', '--kubeconfig', fake.kubeconfigPath, '--config', config, '--format', 'json', '--poll-interval', '100ms'])
    const elapsedMs = performance.now() - started
    process.stderr.write(`mirror pod probe against the fake API server: ${Math.round(elapsedMs)} ms wall, report totalMs ${run.report?.timings.totalMs}\n`)

    expect(run.report).toBeDefined()
    const report = run.report!
    expect(report.mode).toBe('mirror-pod')
    expect(report.target?.namespace).toBe('ci')
    expect(report.target?.pod).toMatch(/^rd-probe-[0-9a-f]{8}$/)
    expect(report.target?.nodes?.[0]).toMatch(/^node-[abc]$/)
    const docker = report.checks.find((c) => c.status === 'pass' && c.evidence.some((e) => e.includes(dockerd.url.replace('tcp://', ''))))
    expect(docker).toBeDefined()
    expect(report.checks.some((c) => c.id.startsWith('dns') || c.id.startsWith('resolv'))).toBe(true)
    expect(report.timings.scheduledMs).toBeGreaterThanOrEqual(0)
    expect(report.timings.startedMs).toBeGreaterThanOrEqual(report.timings.scheduledMs!)
    expect(run.code).toBe(report.summary.exitCode)
    expect(run.stderr).toMatch(/Deleted pod rd-probe-/)
    expect(run.stdout + run.stderr).not.toContain('do-not-leak')
    expect(run.stdout + run.stderr).not.toContain('glrt-not-a-real-token')
    expect(fake.state.podNames()).toEqual([])
  }, 90_000)
})
