import {mkdirSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from '@jest/globals'
import {CustomObjectsApi, type V1Pod} from '@kubernetes/client-node'
import {freshNamespace, podNamesSettled, testCluster, waitForPod, type TestCluster} from '../../support/test-cluster.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from '../cluster/helpers.js'

const HELPER_IMAGE = 'registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v17.9.0'

function jobPod(name: string, jobId: string, buildImage: string, buildCommand: string[]): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, labels: {pod: name}, annotations: {'job.runner.gitlab.com/id': jobId}},
    spec: {
      restartPolicy: 'Never',
      hostAliases: [{ip: '127.0.0.1', hostnames: ['docker']}],
      containers: [
        {name: 'build', image: buildImage, command: buildCommand},
        {name: 'helper', image: HELPER_IMAGE, command: ['sleep', '600']},
        {name: 'docker', image: 'docker:27-dind', securityContext: {privileged: true}},
      ],
    },
  }
}

/** A directory with a shell and little else: the PATH of an image without node. */
function imageWithoutNode(): string {
  const bin = join(mkdtempSync(join(tmpdir(), 'rd-alpine-')), 'bin')
  mkdirSync(bin)
  for (const tool of ['sh', 'sleep', 'cat']) symlinkSync(`/bin/${tool}`, join(bin, tool))
  return bin
}

/**
 * --pod, --job-id and --ephemeral on the real API server: exec goes client -> kube-apiserver -> kwok's kubelet
 * server -> a local process; the ephemeral container is added through the real ephemeralcontainers subresource.
 */
describe('probe against the real API server: attach modes and --all-nodes', () => {
  let cluster: TestCluster
  let namespace: string

  beforeAll(async () => {
    cluster = await testCluster()
    namespace = await freshNamespace(cluster, 'modes')
    await cluster.core.createNamespacedPod({
      namespace,
      body: jobPod('runner-node-job', '4242', 'node:22-alpine', ['node', '-e', 'setTimeout(() => {}, 600000)']),
    })
    await cluster.core.createNamespacedPod({namespace, body: jobPod('runner-alpine-job', '4343', 'alpine:3.20', ['sleep', '600'])})
    // kwok's Exec object: exec in this pod runs with a PATH that has no node, as in an alpine image.
    await cluster.kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'kwok.x-k8s.io',
      version: 'v1alpha1',
      namespace,
      plural: 'execs',
      body: {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'Exec',
        metadata: {name: 'runner-alpine-job', namespace},
        spec: {execs: [{local: {envs: [{name: 'PATH', value: imageWithoutNode()}]}}]},
      },
    })
    for (const name of ['runner-node-job', 'runner-alpine-job'])
      await waitForPod(cluster, namespace, name, (pod) => pod.status?.phase === 'Running')
  }, 45 * 60_000)

  const cli = (args: string[]) =>
    runCli([
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      namespace,
      '--format',
      'json',
      '--poll-interval',
      '200ms',
      '--timeout',
      '500ms',
      '--dind-wait',
      '1s',
      ...args,
    ])

  it('--job-id finds the job pod by annotation and runs the checks over exec in the container that has node', async () => {
    const started = performance.now()
    const run = await cli(['--job-id', '4242'])
    const elapsedMs = performance.now() - started
    expect(run.report?.mode).toBe('job-pod')
    expect(run.report?.target?.pod).toBe('runner-node-job')
    expect(run.stderr).toMatch(/Running the checks in container build of pod runner-node-job \(node at \/.*node\)/)
    const dns = run.report!.checks.filter((c) => c.id.startsWith('dns') || c.id.startsWith('resolv'))
    expect(dns.length).toBeGreaterThan(0)
    expect(JSON.stringify(dns)).toContain(cluster.dnsAddress)
    expect(run.code).toBe(run.report!.summary.exitCode)
    // A finished run exits at once, also with exit code 0 (a forgotten 20 s timer once kept it alive).
    expect(elapsedMs).toBeLessThan(15_000)
    expect(await podNamesSettled(cluster, namespace)).toEqual(['runner-alpine-job', 'runner-node-job'])
  }, 60_000)

  it('--pod without node anywhere says so and suggests --ephemeral', async () => {
    const run = await cli(['--pod', 'runner-alpine-job'])
    expect(run.code).toBe(2)
    expect(run.report!.checks[0]!.summary).toBe(
      'No running container in pod runner-alpine-job has node (looked in: build, helper, docker).',
    )
    expect(run.report!.checks[0]!.remediation).toContain('--ephemeral')
  }, 60_000)

  it('--pod --ephemeral adds a Node container sharing the pod, warns that it stays, and reads its report', async () => {
    const run = await cli(['--pod', 'runner-alpine-job', '--ephemeral'])
    expect(run.stderr).toMatch(/Kubernetes cannot remove it: it stays until the pod ends/)
    expect(run.report?.mode).toBe('ephemeral')
    expect(run.report!.checks.some((c) => c.id.startsWith('dns') || c.id.startsWith('resolv'))).toBe(true)
    const pod = await cluster.core.readNamespacedPod({namespace, name: 'runner-alpine-job'})
    expect(pod.spec?.ephemeralContainers?.[0]?.image).toBe('node:24-alpine')
    expect(pod.status?.ephemeralContainerStatuses?.[0]?.state?.terminated).toBeDefined()
  }, 60_000)

  it('--all-nodes runs one pod per node the runner can use, skips tainted nodes, and leaves none', async () => {
    // A node with a value-less taint, as `kubectl taint nodes X maintenance:NoSchedule` leaves it.
    const extra = `maint-${namespace}`
    await cluster.core.createNode({
      body: {
        metadata: {name: extra, annotations: {'kwok.x-k8s.io/node': 'fake'}, labels: {'kubernetes.io/hostname': extra}},
        spec: {taints: [{key: 'maintenance', effect: 'NoSchedule'}]},
        status: {capacity: {cpu: '4', memory: '16Gi', pods: '110'}, allocatable: {cpu: '4', memory: '16Gi', pods: '110'}},
      },
    })
    try {
      for (let i = 0; i < 300; i++) {
        const node = await cluster.core.readNode({name: extra})
        const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        if (ready && !node.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/'))) break
        await new Promise((r) => setTimeout(r, 200))
      }
      const run = await cli(['--all-nodes', '--config', writeRunnerConfig(PRIVILEGED_TLS_CONFIG)])
      const report = run.report!
      expect(report.mode).toBe('all-nodes')
      expect(report.target?.nodes).toEqual(['node-0', 'node-1'])
      expect(run.stderr).toContain('Skipping node node-2: the runner does not tolerate its taint dedicated=ci:NoSchedule.')
      expect(run.stderr).toContain(`Skipping node ${extra}: the runner does not tolerate its taint maintenance:NoSchedule.`)
      expect(new Set(report.checks.filter((c) => c.id !== 'nodes-differ').map((c) => c.node))).toEqual(new Set(['node-0', 'node-1']))
      expect((await podNamesSettled(cluster, namespace)).filter((p) => p.includes('rd-probe'))).toEqual([])
    } finally {
      await cluster.core.deleteNode({name: extra})
    }
  }, 90_000)
})
