import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from '@jest/globals'
import {freshNamespace, podNamesSettled, serviceAccountKubeconfig, testCluster, type TestCluster} from '../../support/test-cluster.js'
import {PRIVILEGED_TLS_CONFIG, runCli, writeRunnerConfig} from '../cluster/helpers.js'

/** Helm values that name the runner manager's ServiceAccount, with the dind recipe the mirror pod copies. */
function valuesNaming(serviceAccount: string, namespace: string, kubernetesExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'rd-values-'))
  const path = join(dir, 'values.yaml')
  writeFileSync(
    path,
    `gitlabUrl: https://gitlab.example.com
serviceAccount:
  create: false
  name: ${serviceAccount}
runners:
  config: |
    [[runners]]
      executor = "kubernetes"
      [runners.kubernetes]
        namespace = "${namespace}"
        privileged = true
${kubernetesExtra}        [[runners.kubernetes.services]]
          name = "docker:dind"
`,
  )
  return path
}

/**
 * Whose permissions the probe checks, as the real authorizer decides: impersonation (Impersonate-User) of the
 * runner's ServiceAccount by the admin kubeconfig, and a user who may not impersonate it.
 */
describe('probe against the real API server: acting as the runner', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  async function runnerServiceAccount(namespace: string, name: string, rules: {resources: string[]; verbs: string[]}[]): Promise<void> {
    await cluster.core.createNamespacedServiceAccount({namespace, body: {metadata: {name}}})
    await cluster.rbac.createNamespacedRole({namespace, body: {metadata: {name}, rules: rules.map((r) => ({apiGroups: [''], ...r}))}})
    await cluster.rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: {name},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name},
        subjects: [{kind: 'ServiceAccount', name, namespace}],
      },
    })
  }

  it("the admin's run acts as the runner's ServiceAccount the values name, and is denied where the admin itself would pass", async () => {
    const namespace = await freshNamespace(cluster, 'as-runner')
    await runnerServiceAccount(namespace, 'gitlab-runner', [
      {resources: ['pods'], verbs: ['get', 'list', 'delete']},
      {resources: ['pods/log'], verbs: ['get']},
    ])
    const common = [
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      namespace,
      '--format',
      'json',
      '--timeout',
      '500ms',
      '--poll-interval',
      '200ms',
    ]

    const asRunner = await runCli([...common, '--config', valuesNaming('gitlab-runner', namespace)])
    expect(asRunner.stderr).toContain(`Acting as the runner's ServiceAccount ${namespace}/gitlab-runner (serviceAccount.name in `)
    expect(asRunner.code).toBe(2)
    const denied = asRunner.report!.checks.find((c) => c.id === 'kube-permissions')!
    expect(denied.summary).toBe(`Missing permission in namespace ${namespace}: create pods.`)
    expect(denied.cause).toBe(`system:serviceaccount:${namespace}:gitlab-runner is not bound to a Role granting what the probe needs.`)
    // The runner's own RBAC for this config, named as job logs name it.
    const runnerRbac = asRunner.report!.checks.find((c) => c.id === 'runner-permissions')!
    expect(runnerRbac.status).toBe('fail')
    expect(runnerRbac.evidence).toContain(
      `pods/exec is forbidden: User "system:serviceaccount:${namespace}:gitlab-runner" cannot create ` +
        `resource "pods/exec" in API group "" in the namespace "${namespace}" (needed for running the job script)`,
    )
    expect(runnerRbac.summary).not.toContain('get pods,')
    // Events are optional: missing, they degrade the report and never stop the run.
    expect(asRunner.stderr).toContain('list events is missing: the probe runs without it')

    // The same pod, asked for by the admin itself (a config that names no ServiceAccount): it passes the preflight.
    const asAdmin = await runCli([
      ...common,
      '--config',
      writeRunnerConfig(PRIVILEGED_TLS_CONFIG.replace('namespace = "ci"', `namespace = "${namespace}"`)),
    ])
    expect(asAdmin.stderr).toMatch(/Acting as .*; the config names no runner ServiceAccount/)
    expect(asAdmin.report!.checks.map((c) => c.id)).not.toContain('kube-permissions')
    expect(asAdmin.report!.checks.map((c) => c.id)).not.toContain('probe-identity')
    expect(asAdmin.report!.checks.some((c) => c.id === 'dns-cluster-name')).toBe(true)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)

  it('--as acts as whoever it names, and a user who may not impersonate the runner is told whose permissions were checked', async () => {
    const namespace = await freshNamespace(cluster, 'as-flag')
    await runnerServiceAccount(namespace, 'gitlab-runner', [{resources: ['pods'], verbs: ['get']}])
    await runnerServiceAccount(namespace, 'operator', [
      {resources: ['pods'], verbs: ['create', 'get', 'list', 'delete']},
      {resources: ['pods/log'], verbs: ['get']},
      {resources: ['events'], verbs: ['list']},
    ])
    const explicit = await runCli([
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      namespace,
      '--format',
      'json',
      '--as',
      `system:serviceaccount:${namespace}:gitlab-runner`,
    ])
    expect(explicit.stderr).toContain(`Acting as system:serviceaccount:${namespace}:gitlab-runner (--as).`)
    expect(explicit.code).toBe(2)
    expect(explicit.report!.checks[0]!.summary).toBe(
      `Missing permissions in namespace ${namespace}: create pods, delete pods, get pods/log.`,
    )

    const operator = await serviceAccountKubeconfig(cluster, namespace, 'operator')
    const run = await runCli([
      'probe',
      '--kubeconfig',
      operator,
      '-n',
      namespace,
      '--format',
      'json',
      '--timeout',
      '500ms',
      '--poll-interval',
      '200ms',
      '--config',
      valuesNaming('gitlab-runner', namespace),
    ])
    const identity = run.report!.checks.find((c) => c.id === 'probe-identity')!
    expect(identity.status).toBe('warn')
    expect(identity.summary).toBe(
      `Permissions and admission were checked for system:serviceaccount:${namespace}:operator, not ` +
        `for the runner's ServiceAccount ${namespace}/gitlab-runner: system:serviceaccount:${namespace}:operator ` +
        `may not impersonate it.`,
    )
    expect(identity.cause).toContain('A pass here does not prove the runner may create these pods')
    expect(run.report!.checks.some((c) => c.id === 'dns-cluster-name')).toBe(true)
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)

  it('--all-nodes with no node the runner may use still says whose permissions were checked', async () => {
    const namespace = await freshNamespace(cluster, 'as-no-nodes')
    await runnerServiceAccount(namespace, 'gitlab-runner', [{resources: ['pods'], verbs: ['get']}])
    await runnerServiceAccount(namespace, 'operator', [
      {resources: ['pods'], verbs: ['create', 'get', 'list', 'delete']},
      {resources: ['pods/log'], verbs: ['get']},
      {resources: ['events'], verbs: ['list']},
    ])
    // --all-nodes lists nodes, which only a ClusterRole grants.
    const nodeReader = `rd-node-reader-${namespace}`
    await cluster.rbac.createClusterRole({
      body: {metadata: {name: nodeReader}, rules: [{apiGroups: [''], resources: ['nodes'], verbs: ['list']}]},
    })
    await cluster.rbac.createClusterRoleBinding({
      body: {
        metadata: {name: nodeReader},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: nodeReader},
        subjects: [{kind: 'ServiceAccount', name: 'operator', namespace}],
      },
    })
    const operator = await serviceAccountKubeconfig(cluster, namespace, 'operator')
    const values = valuesNaming(
      'gitlab-runner',
      namespace,
      '        [runners.kubernetes.node_selector]\n          "rd-test/pool" = "none"\n',
    )
    const run = await runCli(['probe', '--kubeconfig', operator, '-n', namespace, '--format', 'json', '--all-nodes', '--config', values])
    const checks = run.report!.checks
    expect(checks.find((c) => c.id === 'nodes')?.summary).toBe('No schedulable node matches the runner node_selector and tolerations.')
    expect(checks.find((c) => c.id === 'probe-identity')?.status).toBe('warn')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 120_000)
})
