// Uses the fake API server: kwok does not pull images, so the kubelet's ErrImageNeverPull and a pod deadline are
// simulated there (test/fake-kube/cluster.ts words them as kubelet does).
import {type AddressInfo, createServer, type Server, type Socket} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {startFakeKube, type FakeKube} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from './helpers.js'

describe('probe diagnosis wording (fake API server)', () => {
  let fake: FakeKube
  let silent: Server
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    // A Docker endpoint that accepts and never answers, with a long per-request timeout: the checks outlast a short --checks-timeout.
    silent = createServer((socket) => void sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const docker = `tcp://127.0.0.1:${(silent.address() as AddressInfo).port}`
    fake = await startFakeKube({
      namespaces: {ci: {}},
      kubelet: {
        agentOptions: (o) => ({...o, dockerHosts: [docker], dindWaitMs: 200, timeoutMs: 30_000, dnsTries: 1, gitlabUrl: undefined}),
      },
    })
  })

  afterAll(async () => {
    await fake?.stop()
    for (const socket of sockets) socket.destroy()
    silent.close()
  })

  it('ErrImageNeverPull is fatal at once: pull policy Never and the image is not on the node', async () => {
    const config = writeRunnerConfig(PRIVILEGED_TLS_CONFIG.replace('privileged = true', 'privileged = true\n    pull_policy = "never"'))
    const started = Date.now()
    const run = await runCli([
      'probe',
      '--kubeconfig',
      fake.kubeconfigPath,
      '--config',
      config,
      '--format',
      'json',
      '--poll-interval',
      '100ms',
      '--image',
      'registry.example.com/not-preloaded/node:24',
      '--start-timeout',
      '60s',
    ])
    expect(run.code).toBe(2)
    const check = run.report!.checks[0]!
    expect(check.summary).toMatch(/Container "build" cannot start: ErrImageNeverPull/)
    expect(check.remediation).toBe(
      'The pull policy is Never and "registry.example.com/not-preloaded/node:24" is not on the node: ' +
        'pre-load it on every node, or set the pull policy to IfNotPresent.',
    )
    // Not a wait for --start-timeout: it fails as soon as the kubelet says so.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(fake.state.podNames()).toEqual([])
  }, 30_000)

  it('checks that outlast their time name --checks-timeout, the flag that controls it, not --timeout', async () => {
    const run = await runCli([
      'probe',
      '--kubeconfig',
      fake.kubeconfigPath,
      '--config',
      writeRunnerConfig(PRIVILEGED_TLS_CONFIG),
      '--format',
      'json',
      '--poll-interval',
      '100ms',
      '--dind-wait',
      '20s',
      '--checks-timeout',
      '1s',
    ])
    expect(run.code).toBe(2)
    const check = run.report!.checks[0]!
    expect(check.summary).toBe('The checks did not finish within 1s.')
    expect(check.remediation).toMatch(/^Raise --checks-timeout, /)
    expect(check.remediation).toContain('--timeout is per DNS query and connection, not for the whole run')
  }, 60_000)
})
