// Uses the fake API server: its simulated kubelet gives each node a different Docker endpoint, which is how
// --all-nodes is shown telling nodes apart; the other modes run on the real control plane (test/probe/real-cluster).
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {startDockerd, type Dockerd} from '../../support/dockerd.js'
import {startFakeKube, type FakeKube} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from './helpers.js'

describe('probe --all-nodes against the fake API server', () => {
  let dockerd: Dockerd
  let fake: FakeKube

  beforeAll(async () => {
    dockerd = await startDockerd()
    fake = await startFakeKube({
      namespaces: {ci: {}},
      nodes: [{name: 'node-a'}, {name: 'node-b'}, {name: 'node-c', unschedulable: true}],
      kubelet: {
        // node-b has no working Docker endpoint, so --all-nodes has something to tell apart.
        agentOptions: (options, context) => ({
          ...options,
          dockerHosts: [context.pod.spec?.nodeName === 'node-b' ? 'tcp://127.0.0.1:9' : dockerd.url],
          dindWaitMs: 1500,
          timeoutMs: 300,
          dnsTries: 1,
          gitlabUrl: undefined,
        }),
      },
    })
  }, 120_000)

  afterAll(async () => {
    await fake?.stop()
    await dockerd?.stop()
  })

  it('runs one pod per schedulable node and shows where they differ', async () => {
    const run = await runCli([
      'probe',
      '--kubeconfig',
      fake.kubeconfigPath,
      '-n',
      'ci',
      '--format',
      'json',
      '--poll-interval',
      '100ms',
      '--all-nodes',
      '--config',
      writeRunnerConfig(PRIVILEGED_TLS_CONFIG),
    ])
    const report = run.report!
    expect(report.mode).toBe('all-nodes')
    expect(report.target?.nodes).toEqual(['node-a', 'node-b'])
    expect(run.stderr).toContain('Skipping node node-c: it is cordoned.')
    const differ = report.checks.find((c) => c.id === 'nodes-differ')!
    expect(differ.status).toBe('warn')
    const port = dockerd.url.split(':').at(-1)
    expect(differ.evidence).toContain(`docker-daemon-127-0-0-1-${port}: node-a=pass, node-b=missing`)
    expect(differ.evidence).toContain('docker-daemon-127-0-0-1-9: node-a=missing, node-b=fail')
    expect(new Set(report.checks.filter((c) => c.id !== 'nodes-differ').map((c) => c.node))).toEqual(new Set(['node-a', 'node-b']))
    expect(fake.state.podNames().filter((p) => p.includes('rd-probe'))).toEqual([])
  }, 90_000)
})
