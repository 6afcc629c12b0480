import {beforeAll, describe, expect, it} from '@jest/globals'
import {ClientKubeApi, loadKubeConfig} from '../../../src/probe/cluster/kube-api.js'
import {waitForContainer} from '../../../src/probe/cluster/wait.js'
import {freshNamespace, testCluster, type TestCluster} from '../../support/test-cluster.js'

/**
 * A pod bound to a node no kubelet serves stays Pending; the events the kubelet would write (FailedMount, then
 * FailedCreatePodSandBox) are posted to the real API server, and the wait loop names each state as it comes.
 */
describe('pending states on the real API server', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  it('a volume that cannot be mounted is named as such, not "not scheduled yet", and the reason follows the pod', async () => {
    const namespace = await freshNamespace(cluster, 'pending')
    const name = 'rd-probe-pending'
    await cluster.core.createNamespacedPod({
      namespace,
      body: {
        metadata: {name},
        spec: {nodeName: 'no-kubelet-here', containers: [{name: 'build', image: 'node:24-alpine', command: ['node']}]},
      },
    })
    const pod = await cluster.core.readNamespacedPod({namespace, name})
    const post = (reason: string, message: string) =>
      cluster.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: {generateName: `${name}.`},
          involvedObject: {kind: 'Pod', namespace, name, uid: pod.metadata!.uid, apiVersion: 'v1'},
          reason,
          message,
          type: 'Warning',
          source: {component: 'kubelet', host: 'no-kubelet-here'},
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
          count: 1,
        },
      })
    await post('FailedMount', 'MountVolume.SetUp failed for volume "dind-config" : configmap "dind-config" not found')
    const kube = new ClientKubeApi(loadKubeConfig({kubeconfig: cluster.kubeconfigPath}))
    const progress: string[] = []
    const outcome = await waitForContainer(kube, {
      namespace,
      pod: name,
      container: 'build',
      startTimeoutMs: 6000,
      runTimeoutMs: 10_000,
      pollIntervalMs: 200,
      progress: (m) => {
        progress.push(m)
        if (/a volume cannot be mounted/.test(m) && !progress.some((p) => p.includes('sandbox')))
          void post(
            'FailedCreatePodSandBox',
            'Failed to create pod sandbox: plugin type="bridge" failed (add): failed to allocate for range ' +
              '0: no IP addresses available in range set',
          )
      },
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    })
    expect(outcome.kind).toBe('failed')
    if (outcome.kind !== 'failed') return
    expect(progress).toContain(
      `Pod ${name}: a volume cannot be mounted on no-kubelet-here: MountVolume.SetUp failed for ` +
        `volume "dind-config" : configmap "dind-config" not found.`,
    )
    // Then the sandbox fails: the state follows the latest trouble.
    expect(progress).toContain(
      `Pod ${name}: the pod sandbox cannot be created on no-kubelet-here: Failed to create pod sandbox: ` +
        `plugin type="bridge" failed (add): failed to allocate for range 0: no IP addresses available in range set.`,
    )
    expect(progress.findIndex((p) => p.includes('volume cannot be mounted'))).toBeLessThan(
      progress.findIndex((p) => p.includes('sandbox cannot be created')),
    )
    expect(outcome.summary).toMatch(
      /^The probe pod did not start within 6s: the pod sandbox cannot be created on no-kubelet-here: .*no IP addresses available/,
    )
    expect(outcome.cause).toContain('CNI')
    expect(outcome.evidence.join('\n')).toContain('FailedMount')
    await cluster.core.deleteNamespacedPod({namespace, name, gracePeriodSeconds: 0})
  }, 60_000)
})
