import {readFileSync, writeFileSync} from 'node:fs'
import {type AddressInfo, createServer} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals'
import {AuthorizationV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject, type V1Pod} from '@kubernetes/client-node'
import {parseAllDocuments} from 'yaml'

import {runCli} from '../trust/support/harness.js'
import {REPO_ROOT, serviceAccountKubeconfig, testCluster, type TestCluster} from '../support/test-cluster.js'
import {EXECUTOR_PERMISSIONS} from '../../src/model/cluster/runner-access.js'
import {deployedRunner, TUTORIAL} from './deployed-runner.js'
import {recordingProxy} from './recording-proxy.js'

/*
 * lint --cluster against the real control plane of test/cluster: kube-apiserver with RBAC and PodSecurity, the
 * quota and LimitRange admission, and kwok nodes of 4 CPU (node-0 and node-1 general, node-2 tainted dedicated=ci).
 * The file is the seed tutorial's values (examples/gitlab-runner-values.yaml): 2 replicas × concurrent 10,
 * privileged dind, its runners.config at lines 19-34.
 */

const LINE = {concurrent: 13, kubernetesTable: 19, privileged: 34}

interface Finding {
  ruleId: string
  severity: string
  message: string
  line: number
}

function findings(stdout: string): Finding[] {
  const report = JSON.parse(stdout) as {files: Array<{findings: Finding[]}>}
  return report.files.flatMap((f) => f.findings)
}

const clusterFindings = (stdout: string) => findings(stdout).filter((f) => f.ruleId.startsWith('cluster-'))

describe('lint --cluster against the real API server', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  const lintCluster = (namespace: string, kubeconfig = cluster.kubeconfigPath, extra: string[] = []) =>
    runCli(['lint', TUTORIAL, '--cluster', '--kubeconfig', kubeconfig, '-n', namespace, '--format', 'json', ...extra], {cwd: REPO_ROOT})

  /** The tutorial's job pod as the API server sees it (build, helper, one dind service), created with dryRun=All. */
  async function dryRunJobPod(namespace: string, privileged: boolean): Promise<string> {
    const container = (name: string, resources: Record<string, Record<string, string>>) => ({
      name,
      image: 'alpine:3.20',
      resources,
      securityContext: privileged ? {privileged: true} : undefined,
    })
    const pod: V1Pod = {
      metadata: {name: 'job-dry-run'},
      spec: {
        containers: [
          container('build', {requests: {cpu: '500m', memory: '512Mi'}, limits: {cpu: '1', memory: '1Gi'}}),
          container('helper', {}),
          container('svc-0', {limits: {cpu: '1', memory: '1Gi'}}),
        ],
      },
    }
    try {
      await cluster.core.createNamespacedPod({namespace, body: pod, dryRun: 'All'})
      return 'admitted'
    } catch (error) {
      const body = (error as {body?: string}).body
      return body ? (JSON.parse(body) as {message: string}).message : String(error)
    }
  }

  it(
    'the seed tutorial in a baseline namespace with an 8 CPU quota on 4 CPU nodes: three findings ' +
      'at the right lines, each naming the cluster object',
    async () => {
      const namespace = await deployedRunner(cluster)
      const run = await lintCluster(namespace)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(1)
      const found = clusterFindings(run.stdout)
      expect(found.map((f) => [f.ruleId, f.line])).toEqual([
        ['cluster-capacity', LINE.concurrent],
        ['cluster-quota', LINE.kubernetesTable],
        ['cluster-podsecurity', LINE.privileged],
      ])
      const [capacity, quota, podSecurity] = found
      // 1.5 CPU per job (build 500m + service 1, the helper asks for none): 2 per 4 CPU node, node-2 is tainted away.
      expect(capacity.message).toMatch(
        /^Only [0-4] of the 20 concurrent jobs \(2 × concurrent 10\) fit on the nodes this runner’s job pods can use now \(4 on the same nodes empty\), each job requesting 1500m CPU and 1\.5Gi: nodes node-0, node-1\. Left out: node-2 \(taint dedicated=ci:NoSchedule\)\. No node label shows an autoscaler/,
      )
      expect(quota.message).toBe(
        `ResourceQuota ${namespace}/ci-jobs rejects job 1 and every job after it ("must specify requests.cpu"): ` +
          `it tracks requests.cpu, and the helper container states none here, nor does a LimitRange give ` +
          `one. Once it does, the quota still rejects job 6 of the 20 concurrent jobs at the latest.`,
      )
      expect(podSecurity.severity).toBe('error')
      expect(podSecurity.message).toContain(`Namespace ${namespace} enforces Pod Security "baseline"`)
      expect(podSecurity.message).toContain('privileged: containers build, helper, service must not set securityContext.privileged=true')
      // The same judgements the API server makes: the privileged pod violates baseline, the unprivileged one the quota.
      expect(await dryRunJobPod(namespace, true)).toMatch(/violates PodSecurity "baseline:latest": privileged/)
      expect(await dryRunJobPod(namespace, false)).toContain('failed quota: ci-jobs: must specify requests.cpu for: helper')
      // The runner token the Secret holds never shows, and the full-permission runner has no RBAC finding.
      expect(run.stdout).not.toContain('glrt-never-printed')
    },
    120_000,
  )

  it('a LimitRange default for the helper: the quota bites at job 6 and the default is said', async () => {
    const namespace = await deployedRunner(cluster, {limitRange: true})
    const run = await lintCluster(namespace)
    const found = clusterFindings(run.stdout)
    const quota = found.find((f) => f.ruleId === 'cluster-quota')!
    expect(quota.line).toBe(LINE.concurrent)
    // build 500m + helper 100m (the LimitRange's defaultRequest) + service 1 = 1.6 CPU: five jobs take 8 CPU.
    expect(quota.message).toBe(
      `ResourceQuota ${namespace}/ci-jobs rejects job 6 of the 20 concurrent jobs with "exceeded ` +
        `quota": requests.cpu is 8 with 0 in use, and each job takes 1600m.`,
    )
    const defaults = found.filter((f) => f.ruleId === 'cluster-limitrange')
    expect(defaults.map((f) => [f.severity, f.line])).toEqual([
      ['info', LINE.kubernetesTable],
      ['info', LINE.kubernetesTable],
    ])
    expect(defaults[0].message).toContain(`LimitRange ${namespace}/job-defaults gives the helper container a cpu request of 100m`)
    expect(await dryRunJobPod(namespace, false)).toBe('admitted')
  }, 120_000)

  it(
    'a deployed ConfigMap with concurrent = 4 against the file’s concurrent: 10 is a drift finding ' + 'at the file’s concurrent line',
    async () => {
      const namespace = await deployedRunner(cluster, {concurrent: 4})
      const run = await lintCluster(namespace)
      const drift = clusterFindings(run.stdout).filter((f) => f.ruleId === 'cluster-drift')
      expect(drift).toEqual([
        expect.objectContaining({
          line: LINE.concurrent,
          severity: 'warning',
          message: `Differs from the deployed runner (ConfigMap ${namespace}/gitlab-runner): deployed: concurrent = 4; here: 10.`,
        }),
      ])
    },
    120_000,
  )

  it('a runner ServiceAccount with partial RBAC: each missing permission the executor needs, none it has', async () => {
    const namespace = await deployedRunner(cluster, {
      runnerRole: [
        {apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch']},
        {apiGroups: [''], resources: ['pods/log'], verbs: ['get']},
      ],
    })
    const run = await lintCluster(namespace)
    const rbac = clusterFindings(run.stdout).filter((f) => f.ruleId === 'cluster-runner-rbac')
    const account = `ServiceAccount ${namespace}/gitlab-runner (of Deployment ${namespace}/gitlab-runner) may not`
    expect(rbac.map((f) => f.message)).toEqual([
      `${account} create pods/exec, get pods/exec in namespace ${namespace}, which the executor ` +
        `needs for running the job script: jobs fail with "forbidden".`,
      `${account} create pods/attach, get pods/attach in namespace ${namespace}, which the executor ` +
        `needs for attaching to the job script: jobs fail with "forbidden".`,
      `${account} create secrets, delete secrets, get secrets, update secrets in namespace ${namespace}, ` +
        `which the executor needs for registry credentials and CI variables of each job: jobs fail with "forbidden".`,
      `${account} list events, watch events in namespace ${namespace}, which the executor needs ` +
        `for print_pod_warning_events: jobs fail with "forbidden".`,
    ])
    expect(rbac.every((f) => f.line === LINE.kubernetesTable && f.severity === 'error')).toBe(true)
  }, 120_000)

  /** A reader ServiceAccount with examples/lint-cluster-rbac.yaml applied (made unique to the namespace), minus `drop`. */
  async function exampleReader(namespace: string, drop: (doc: KubernetesObject) => boolean = () => false): Promise<string> {
    const documents = parseAllDocuments(readFileSync(join(REPO_ROOT, 'examples', 'lint-cluster-rbac.yaml'), 'utf8')).map(
      (d) =>
        d.toJS() as KubernetesObject & {
          subjects?: Array<{namespace?: string}>
          roleRef?: {name: string}
          rules?: Array<{resourceNames?: string[]}>
        },
    )
    const objects = KubernetesObjectApi.makeApiClient(cluster.kc)
    for (const document of documents.filter((d) => !drop(d))) {
      if (document.metadata?.namespace) document.metadata.namespace = namespace
      if (document.kind === 'ClusterRole' || document.kind === 'ClusterRoleBinding')
        document.metadata!.name = `${document.metadata!.name}-${namespace}`
      if (document.kind === 'ClusterRoleBinding') document.roleRef!.name = `${document.roleRef!.name}-${namespace}`
      for (const rule of document.rules ?? []) if (rule.resourceNames) rule.resourceNames = [namespace]
      for (const subject of document.subjects ?? []) subject.namespace = namespace
      await objects.create(document)
    }
    return serviceAccountKubeconfig(cluster, namespace, 'runner-doctor-lint')
  }

  it('examples/lint-cluster-rbac.yaml is enough: as that account, every fact is read and the findings are the admin’s', async () => {
    const namespace = await deployedRunner(cluster, {concurrent: 4})
    const kubeconfig = await exampleReader(namespace)
    const [asReader, asAdmin] = [await lintCluster(namespace, kubeconfig), await lintCluster(namespace)]
    const shown = (stdout: string) =>
      clusterFindings(stdout).map((f) => `${f.ruleId} ${f.line} ${f.message.replace(/^Only \d+/, 'Only N')}`)
    expect(shown(asReader.stdout).filter((f) => f.includes('Could not'))).toEqual([])
    expect(shown(asReader.stdout)).toEqual(shown(asAdmin.stdout))
    expect(shown(asReader.stdout).length).toBe(4)
  }, 120_000)

  it('a reader without the ClusterRole: each check it cannot make is one info finding saying what could not be read', async () => {
    const namespace = await deployedRunner(cluster)
    const kubeconfig = await exampleReader(namespace, (d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')
    const run = await lintCluster(namespace, kubeconfig)
    expect(run.code).not.toBe(2)
    const infos = clusterFindings(run.stdout).filter((f) => f.message.startsWith('Could not'))
    expect(infos.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
      ['cluster-capacity', 'info', LINE.concurrent],
      ['cluster-podsecurity', 'info', LINE.kubernetesTable],
      ['cluster-runner-rbac', 'info', LINE.kubernetesTable],
    ])
    expect(infos[0].message).toMatch(
      /^Could not list nodes \(forbidden: nodes is forbidden: User "system:serviceaccount:[^"]+:runner-doctor-lint" cannot list resource "nodes"/,
    )
    expect(infos[1].message).toMatch(new RegExp(`^Could not get namespace ${namespace} \\(forbidden`))
    expect(infos[2].message).toContain(
      `neither create subjectaccessreviews nor impersonate system:serviceaccount:${namespace}:gitlab-runner is allowed`,
    )
    // What it may read still counts: the quota and the drift check ran.
    expect(clusterFindings(run.stdout).some((f) => f.ruleId === 'cluster-quota' && f.severity === 'error')).toBe(true)
  }, 120_000)

  it(
    'a reader that may not create SubjectAccessReviews but may impersonate the runner’s account: ' +
      'the same RBAC findings, by SelfSubjectAccessReview',
    async () => {
      const namespace = await deployedRunner(cluster, {
        runnerRole: [{apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/attach', 'pods/log', 'events'], verbs: ['*']}],
      })
      const kubeconfig = await exampleReader(namespace)
      const clusterRole = `runner-doctor-lint-${namespace}`
      const current = await cluster.rbac.readClusterRole({name: clusterRole})
      await cluster.rbac.replaceClusterRole({
        name: clusterRole,
        body: {...current, rules: current.rules!.filter((r) => !r.resources!.includes('subjectaccessreviews'))},
      })
      await cluster.rbac.createNamespacedRole({
        namespace,
        body: {
          metadata: {name: 'impersonate-runner'},
          rules: [{apiGroups: [''], resources: ['serviceaccounts'], resourceNames: ['gitlab-runner'], verbs: ['impersonate']}],
        },
      })
      await cluster.rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: {name: 'impersonate-runner'},
          roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'impersonate-runner'},
          subjects: [{kind: 'ServiceAccount', name: 'runner-doctor-lint', namespace}],
        },
      })
      // The authorizer sees RBAC changes through an informer: wait until the reader is refused SubjectAccessReviews.
      const asReaderApi = new KubeConfig()
      asReaderApi.loadFromFile(kubeconfig)
      const authz = asReaderApi.makeApiClient(AuthorizationV1Api)
      const maySar = async () =>
        (
          await authz.createSelfSubjectAccessReview({
            body: {spec: {resourceAttributes: {verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews'}}},
          })
        ).status?.allowed
      for (let i = 0; i < 50 && (await maySar()); i++) await new Promise((r) => setTimeout(r, 100))
      expect(await maySar()).toBe(false)
      const rbacOf = (stdout: string) =>
        clusterFindings(stdout)
          .filter((f) => f.ruleId === 'cluster-runner-rbac')
          .map((f) => f.message)
      const [asReader, asAdmin] = [await lintCluster(namespace, kubeconfig), await lintCluster(namespace)]
      expect(rbacOf(asAdmin.stdout)).toEqual([
        `ServiceAccount ${namespace}/gitlab-runner (of Deployment ${namespace}/gitlab-runner) may ` +
          `not create secrets, delete secrets, get secrets, update secrets in namespace ${namespace}, ` +
          `which the executor needs for registry credentials and CI variables of each job: jobs fail with "forbidden".`,
      ])
      expect(rbacOf(asReader.stdout)).toEqual(rbacOf(asAdmin.stdout))
    },
    120_000,
  )

  describe('read-only, bounded, counted', () => {
    let proxy: Awaited<ReturnType<typeof recordingProxy>>

    beforeAll(async () => {
      proxy = await recordingProxy(cluster.dir, cluster.server)
    })
    afterAll(() => proxy.close())

    it('no write verb is ever sent: only GET, and POST of access reviews, which store nothing; Secrets as metadata only', async () => {
      const namespace = await deployedRunner(cluster, {concurrent: 4, runnerRole: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}]})
      const run = await lintCluster(namespace, proxy.kubeconfig, ['--verbose'])
      expect(clusterFindings(run.stdout).map((f) => f.ruleId)).toEqual(
        expect.arrayContaining(['cluster-capacity', 'cluster-drift', 'cluster-podsecurity', 'cluster-quota', 'cluster-runner-rbac']),
      )
      const calls = proxy.calls.splice(0)
      // Bounded: /version, nodes, pods, deployments, the ConfigMap, the Secret, the namespace, its quotas and
      // LimitRanges, then one access review per permission the executor may need.
      expect(calls.length).toBe(9 + EXECUTOR_PERMISSIONS.length)
      const writes = calls.filter(
        (c) =>
          c.method !== 'GET' && !(c.method === 'POST' && /^\/apis\/authorization\.k8s\.io\/v1\/(self)?subjectaccessreviews$/.test(c.path)),
      )
      expect(writes).toEqual([])
      expect(calls.filter((c) => c.method === 'POST').every((c) => c.status === 201)).toBe(true)
      const secretReads = calls.filter((c) => c.path.includes('/secrets'))
      expect(secretReads.map((c) => c.path)).toEqual([`/api/v1/namespaces/${namespace}/secrets/gitlab-runner`])
      expect(secretReads[0].accept).toContain('as=PartialObjectMetadata')
      expect(JSON.parse(secretReads[0].body)).toMatchObject({kind: 'PartialObjectMetadata', metadata: {name: 'gitlab-runner'}})
      expect(JSON.parse(secretReads[0].body).data).toBeUndefined()
      // The count --verbose prints is the count the API server saw.
      expect(run.stderr).toContain(`--cluster made ${calls.length} API calls to http://127.0.0.1:`)
    }, 120_000)
  })

  it('a cluster that cannot be reached is exit 2 with the reason, in one line', async () => {
    const kubeconfig = join(cluster.dir, 'unreachable.kubeconfig')
    // Port 9 on loopback (discard) has no listener in the test bed.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster: {server: "https://127.0.0.1:9", ' +
        'insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: ' +
        'gone\n  context: {cluster: gone, user: u}\ncurrent-context: gone\n',
    )
    const run = await runCli(['lint', TUTORIAL, '--cluster', '--kubeconfig', kubeconfig], {cwd: REPO_ROOT})
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim()).toBe(
      'runner-doctor: --cluster: the cluster API at https://127.0.0.1:9 cannot be reached: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
    )
  }, 60_000)

  it('an API server that accepts and never answers: each call has a deadline, exit 2 says so', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as AddressInfo).port
    const kubeconfig = join(cluster.dir, 'silent.kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: silent\n  cluster: {server: "https://127.0.0.1:${port}", ` +
        `insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: ` +
        `silent\n  context: {cluster: silent, user: u}\ncurrent-context: silent\n`,
    )
    try {
      const run = await runCli(['lint', TUTORIAL, '--cluster', '--kubeconfig', kubeconfig], {cwd: REPO_ROOT})
      expect(run.code).toBe(2)
      expect(run.stderr.trim()).toBe(
        `runner-doctor: --cluster: the cluster API at https://127.0.0.1:${port} cannot be reached: the API server did not answer in time`,
      )
      // The 10 s deadline of one call, not the client library's minutes.
      expect(run.elapsedMs).toBeLessThan(20_000)
    } finally {
      silent.close()
    }
  }, 60_000)

  it('--kubeconfig without --cluster is a usage error, and lint without --cluster runs no cluster rule', async () => {
    const usage = await runCli(['lint', TUTORIAL, '--kubeconfig', cluster.kubeconfigPath], {cwd: REPO_ROOT})
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--kubeconfig is for --cluster; add --cluster to read the cluster.')
    const offline = await runCli(['lint', TUTORIAL, '--format', 'json'], {cwd: REPO_ROOT})
    expect(clusterFindings(offline.stdout)).toEqual([])
  }, 60_000)
})
