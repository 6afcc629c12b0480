import {beforeAll, describe, expect, it} from '@jest/globals'
import {NodeV1Api, SchedulingV1Api} from '@kubernetes/client-node'
import {buildMirrorPod} from '../../../src/probe/cluster/mirror-pod.js'
import {runCli, writeRunnerConfig} from '../cluster/helpers.js'
import {freshNamespace, podNamesSettled, testCluster, type TestCluster} from '../../support/test-cluster.js'
import {everySettingRunner} from '../cluster/every-setting.js'

async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create()
  } catch (error) {
    if ((error as {code?: number}).code !== 409) throw error
  }
}

/**
 * The pod built from a config that uses every carried setting, judged by the real kube-apiserver: schema,
 * field validation, the RuntimeClass and Priority admission plugins (which look the classes up), PodSecurity.
 */
describe('the mirror pod of a config using every setting, on the real API server', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
    await ensure(() => cluster.kc.makeApiClient(NodeV1Api).createRuntimeClass({body: {metadata: {name: 'gvisor'}, handler: 'runsc'}}))
    await ensure(() => cluster.kc.makeApiClient(SchedulingV1Api).createPriorityClass({body: {metadata: {name: 'ci-high'}, value: 1000}}))
  }, 45 * 60_000)

  it('passes a server-side dry run and a real create, and the stored pod keeps every field', async () => {
    const namespace = await freshNamespace(cluster, 'fidelity')
    await cluster.core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'runner-jobs'}}})
    const runner = everySettingRunner()
    const pod = buildMirrorPod({
      runner,
      runId: 'f1de1170',
      name: 'rd-probe-f1de1170',
      namespace,
      agentSource: 'void 0',
      agentOptions: {},
      deadlineSeconds: 120,
      now: new Date(),
      runnerVersion: '18.6.1',
    })
    const dry = await cluster.core.createNamespacedPod({namespace, body: pod, dryRun: 'All'})
    expect(dry.spec?.runtimeClassName).toBe('gvisor')
    // The Priority admission plugin resolved the class to its value.
    expect(dry.spec?.priority).toBe(1000)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
    const created = await cluster.core.createNamespacedPod({namespace, body: pod})
    const stored = await cluster.core.readNamespacedPod({namespace, name: created.metadata!.name!})
    const spec = stored.spec!
    expect(spec.initContainers!.map((c) => c.name)).toEqual(['init-permissions'])
    expect(spec.containers.map((c) => c.name)).toEqual(['build', 'helper', 'docker', 'postgres'])
    expect(spec.containers[1]!.image).toBe('registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:ubuntu-x86_64-v18.6.1')
    expect(spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.weight).toBe(50)
    expect(spec.schedulerName).toBe('default-scheduler')
    expect(spec.priorityClassName).toBe('ci-high')
    expect(spec.terminationGracePeriodSeconds).toBe(7)
    // The API server fills in the pod-level memory request from the containers'; the configured values stay.
    expect(spec.resources).toMatchObject({requests: {cpu: '2'}, limits: {memory: '3Gi'}})
    expect(spec.shareProcessNamespace).toBe(true)
    expect(spec.containers[0]!.securityContext?.appArmorProfile).toEqual({type: 'Localhost', localhostProfile: 'ci-build'})
    expect(spec.containers[2]!.securityContext?.seccompProfile).toEqual({type: 'Unconfined'})
    // automount_service_account_token = true: the ServiceAccount admission plugin adds the token volume.
    expect(spec.volumes!.map((v) => v.name).filter((n) => !n.startsWith('kube-api-access-'))).toEqual([
      'docker-daemon-json',
      'registry-ca',
      'ci-cache',
      'dind-config',
      'docker-certs',
      'secrets-store',
      'shared',
      'repo',
      'scripts',
      'logs',
    ])
    for (const container of spec.containers) expect(container.volumeMounts!.map((m) => m.mountPath)).toContain('/etc/docker/daemon.json')
    expect(stored.metadata!.labels).toMatchObject({team: 'platform'})
    await cluster.core.deleteNamespacedPod({namespace, name: created.metadata!.name!, gracePeriodSeconds: 0})
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)

  it('a kaniko runner: the probe runs in the real pod and reports no Docker check, the registry check instead', async () => {
    const namespace = await freshNamespace(cluster, 'kaniko')
    const config = writeRunnerConfig(`    namespace = "${namespace}"
    image = "gcr.io/kaniko-project/executor:v1.23.2-debug"`)
    const run = await runCli(
      [
        'probe',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--config',
        config,
        '--format',
        'json',
        '--poll-interval',
        '200ms',
        '--timeout',
        '500ms',
        '--registry',
        'registry.example.com',
      ],
      {timeoutMs: 90_000},
    )
    const report = run.report!
    expect(report.mode).toBe('mirror-pod')
    expect(report.checks.filter((c) => c.id.startsWith('docker') || c.id === 'dind-container').map((c) => c.id)).toEqual([])
    expect(report.checks.map((c) => c.id)).toContain('builder-kaniko-registry-registry-example-com-443')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)
})
