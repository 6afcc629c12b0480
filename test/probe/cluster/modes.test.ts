import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import type {V1Pod} from '@kubernetes/client-node'
import {parseAllDocuments} from 'yaml'
import {ClientKubeApi, loadKubeConfig} from '../../../src/probe/cluster/kube-api.js'
import {buildMirrorPod, EXPIRES_AT_ANNOTATION, PROBE_LABELS} from '../../../src/probe/cluster/mirror-pod.js'
import {startDockerd, type Dockerd} from '../../support/dockerd.js'
import {rulesFromRole} from '../../fake-kube/rbac.js'
import {startFakeKube, type FakeKube} from '../../fake-kube/server.js'
import {PRIVILEGED_TLS_CONFIG, REPO_ROOT, runCli, writeRunnerConfig} from './helpers.js'

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

async function running(kube: ClientKubeApi, namespace: string, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await kube.readPod(namespace, name)).status?.phase === 'Running') return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`pod ${name} never ran`)
}

describe('probe modes against the fake API server', () => {
  let dockerd: Dockerd
  let fake: FakeKube
  let kube: ClientKubeApi

  beforeAll(async () => {
    dockerd = await startDockerd()
    fake = await startFakeKube({
      namespaces: {ci: {}},
      nodes: [{name: 'node-a'}, {name: 'node-b'}, {name: 'node-c', unschedulable: true}],
      kubelet: {
        images: ['node:*', 'docker:*', 'alpine:*', HELPER_IMAGE],
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
    kube = new ClientKubeApi(loadKubeConfig({kubeconfig: fake.kubeconfigPath}))
    await kube.createPod('ci', jobPod('runner-node-job', '4242', 'node:22-alpine', ['node', '-e', 'setTimeout(() => {}, 600000)']))
    await kube.createPod('ci', jobPod('runner-alpine-job', '4343', 'alpine:3.20', ['sleep', '600']))
    await running(kube, 'ci', 'runner-node-job')
    await running(kube, 'ci', 'runner-alpine-job')
  }, 120_000)

  afterAll(async () => {
    await fake?.stop()
    await dockerd?.stop()
  })

  const cli = (args: string[]) => runCli(['probe', '--kubeconfig', fake.kubeconfigPath, '-n', 'ci', '--format', 'json', '--poll-interval', '100ms', ...args])

  it('--job-id finds the job pod by annotation and runs the checks over exec in the container that has node', async () => {
    const run = await cli(['--job-id', '4242'])
    expect(run.report?.mode).toBe('job-pod')
    expect(run.report?.target?.pod).toBe('runner-node-job')
    expect(run.stderr).toMatch(/Running the checks in container build of pod runner-node-job \(node at .*node\)/)
    expect(run.report!.checks.some((c) => c.status === 'pass' && c.evidence.some((e) => e.includes(dockerd.url.replace('tcp://', ''))))).toBe(true)
    expect(fake.state.requests.filter((r) => r.path.endsWith('/exec') && r.status === 101)).toHaveLength(2)
    expect(fake.state.podNames().sort()).toEqual(['ci/runner-alpine-job', 'ci/runner-node-job'])
  }, 60_000)

  it('--pod without node anywhere says so and suggests --ephemeral', async () => {
    const run = await cli(['--pod', 'runner-alpine-job'])
    expect(run.code).toBe(2)
    expect(run.report!.checks[0]!.summary).toBe('No running container in pod runner-alpine-job has node (looked in: build, helper, docker).')
    expect(run.report!.checks[0]!.remediation).toContain('--ephemeral')
  }, 60_000)

  it('--pod --ephemeral adds a Node container sharing the pod, warns that it stays, and reads its report', async () => {
    const run = await cli(['--pod', 'runner-alpine-job', '--ephemeral'])
    expect(run.report?.mode).toBe('ephemeral')
    expect(run.stderr).toMatch(/Kubernetes cannot remove it: it stays until the pod ends/)
    expect(run.report!.checks.length).toBeGreaterThan(3)
    const pod = await kube.readPod('ci', 'runner-alpine-job')
    expect(pod.spec?.ephemeralContainers?.[0]?.image).toBe('node:24-alpine')
  }, 60_000)

  it('--all-nodes runs one pod per schedulable node and shows where they differ', async () => {
    const run = await cli(['--all-nodes', '--config', writeRunnerConfig(PRIVILEGED_TLS_CONFIG)])
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

  it('--cleanup removes probe pods by label and leaves other pods alone', async () => {
    const leftover = buildMirrorPod({runner: {}, runId: 'feedbeef', name: 'rd-probe-feedbeef', namespace: 'ci', agentSource: 'void 0', agentOptions: {}, deadlineSeconds: 60, now: new Date(Date.now() - 3_600_000)})
    await kube.createPod('ci', leftover)
    expect(leftover.metadata?.labels).toMatchObject(PROBE_LABELS)
    expect(Date.parse(leftover.metadata!.annotations![EXPIRES_AT_ANNOTATION]!)).toBeLessThan(Date.now())
    const run = await runCli(['probe', '--kubeconfig', fake.kubeconfigPath, '-n', 'ci', '--cleanup'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('Deleted probe pod rd-probe-feedbeef (run feedbeef).')
    expect(fake.state.podNames().sort()).toEqual(['ci/runner-alpine-job', 'ci/runner-node-job'])
  }, 30_000)
})

describe('examples/probe-rbac.yaml', () => {
  it('grants exactly what every mode checks for', async () => {
    const documents = parseAllDocuments(readFileSync(join(REPO_ROOT, 'examples', 'probe-rbac.yaml'), 'utf8')).map((d) => d.toJS())
    const role = documents.find((d) => d.kind === 'Role')
    const clusterRole = documents.find((d) => d.kind === 'ClusterRole')
    const rules = [...rulesFromRole(role, 'ci'), ...(clusterRole.rules as {resources: string[]; verbs: string[]}[]).map((r) => ({verbs: r.verbs, resources: r.resources}))]
    const fake = await startFakeKube({namespaces: {ci: {}}, rbac: rules})
    try {
      const api = new ClientKubeApi(loadKubeConfig({kubeconfig: fake.kubeconfigPath}))
      const {missingPermissions, requiredPermissions} = await import('../../../src/probe/cluster/preflight.js')
      for (const mode of ['mirror', 'all-nodes', 'attach', 'ephemeral', 'cleanup'] as const) {
        expect(await missingPermissions(api, 'ci', requiredPermissions(mode, {findByJobId: true}))).toEqual([])
      }
      const withoutExec = rules.map((r) => ({...r, resources: r.resources.filter((x) => x !== 'pods/exec')}))
      fake.state.rbac = withoutExec
      const missing = await missingPermissions(api, 'ci', requiredPermissions('attach'))
      expect(missing.map((p) => `${p.verb} ${p.resource}/${p.subresource}`)).toEqual(['get pods/exec', 'create pods/exec'])
    } finally {
      await fake.stop()
    }
  }, 30_000)
})
