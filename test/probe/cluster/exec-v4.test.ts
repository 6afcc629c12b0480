// Uses the fake API server: the v4-only exec protocol (API servers before Kubernetes 1.30, still found on OpenShift
// 4.16 and extended-support managed clusters) cannot be shown by the real test bed, which is newer.
import {spawnSync} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {buildAgentSource} from '../../../src/probe/agent/bundle-path.js'
import {runClusterProbe} from '../../../src/probe/cluster/index.js'
import {ClientKubeApi, loadKubeConfig} from '../../../src/probe/cluster/kube-api.js'
import {startFakeKube, type FakeKube} from '../../fake-kube/server.js'

const noSignals = {on: () => undefined, off: () => undefined}

async function runningJobPod(kube: ClientKubeApi, name: string): Promise<void> {
  await kube.createPod('ci', {
    metadata: {name},
    spec: {
      restartPolicy: 'Never',
      containers: [{name: 'build', image: 'node:22-alpine', command: ['node', '-e', 'setTimeout(() => {}, 120000)']}],
    },
  })
  for (let i = 0; i < 100; i++) {
    if ((await kube.readPod('ci', name)).status?.phase === 'Running') return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${name} never ran`)
}

describe.each([['v4.channel.k8s.io'], ['v5.channel.k8s.io']])('attach mode over exec protocol %s (fake API server)', (protocol) => {
  let fake: FakeKube
  let kube: ClientKubeApi
  let agentSource: string

  beforeAll(async () => {
    fake = await startFakeKube({
      namespaces: {ci: {}},
      execProtocols: [protocol],
      kubelet: {
        agentOptions: (options) => ({
          ...options,
          dockerHosts: ['tcp://127.0.0.1:9'],
          dindWaitMs: 200,
          timeoutMs: 300,
          dnsTries: 1,
          gitlabUrl: undefined,
        }),
      },
    })
    kube = new ClientKubeApi(loadKubeConfig({kubeconfig: fake.kubeconfigPath}))
    agentSource = await buildAgentSource()
    await runningJobPod(kube, 'runner-job')
  }, 60_000)

  afterAll(async () => {
    await fake?.stop()
  })

  it('sends the check program with its length, keeps stdin open, and gets the report and the exit status', async () => {
    const progress: string[] = []
    const report = await runClusterProbe(
      {mode: 'job-pod', namespace: 'ci', pod: 'runner-job'},
      {kube, agentSource: async () => agentSource, progress: (m) => progress.push(m), signals: noSignals},
    )
    expect(report.mode).toBe('job-pod')
    expect(report.checks.map((c) => c.id)).not.toContain('probe-exec')
    // A check program that ran: the Docker check against the closed port 9 fails, so the report is a real one.
    expect(report.checks.some((c) => c.id.startsWith('docker-daemon') && c.status === 'fail')).toBe(true)
    expect(progress.join('\n')).toMatch(/Running the checks in container build of pod runner-job \(node at \/.*node\), node v\d+/)
  }, 60_000)

  it('a stream that ends stdin before the whole program arrived is reported as such, not as a Node version', async () => {
    const {stdinAgentInvocation} = await import('../../../src/probe/agent/stdin-framing.js')
    const {noReportFinding} = await import('../../../src/probe/cluster/exec-diagnosis.js')
    const invocation = stdinAgentInvocation('process.exit(0)', '{}')
    // The loader itself, as a server that ends stdin early makes it: 999 bytes announced, 15 sent, then EOF.
    const loader = spawnSync(process.execPath, [...invocation.command.slice(1, 4), '999', '{}'], {
      input: invocation.stdin,
      encoding: 'utf8',
    })
    const finding = noReportFinding(
      {stdout: loader.stdout, stderr: loader.stderr, exitCode: loader.status, protocol},
      'build',
      'v22.1.0',
      false,
    )
    expect(finding.summary).toBe('The check program in container build did not receive all of its code over stdin.')
    expect(finding.evidence).toContain(`exec protocol: ${protocol}`)
    expect(JSON.stringify(finding)).not.toMatch(/Node version|18 or newer/)
  })
})
