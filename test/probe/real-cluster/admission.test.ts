import {beforeAll, describe, expect, it} from '@jest/globals'
import {freshNamespace, podNamesSettled, testCluster, type TestCluster} from '../../support/test-cluster.js'
import {PRIVILEGED_TLS_CONFIG, privilegedTls, runCli, writeRunnerConfig} from '../cluster/helpers.js'

/** What the real kube-apiserver says at admission: PodSecurity, validation, server-side dry run. */
describe('probe against the real API server: admission', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  const probe = (namespace: string, config: string, extra: string[] = []) =>
    runCli([
      'probe',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '-n',
      namespace,
      '--config',
      config,
      '--format',
      'json',
      '--poll-interval',
      '200ms',
      ...extra,
    ])

  it('PodSecurity baseline refuses the privileged dind mirror pod: said in plain words, exit 2, nothing created', async () => {
    const namespace = await freshNamespace(cluster, 'psa-baseline', {'pod-security.kubernetes.io/enforce': 'baseline'})
    const run = await probe(namespace, writeRunnerConfig(PRIVILEGED_TLS_CONFIG))
    expect(run.code).toBe(2)
    const check = run.report!.checks[0]!
    expect(check.id).toBe('kube-admission')
    expect(check.summary).toBe(
      `PodSecurity refuses the probe pod in namespace ${namespace}: the namespace label pod-security.kubernetes.io/enforce=baseline ` +
        `(version latest) forbids what dind needs.`,
    )
    // The real admission plugin's own words (it names every privileged container of the pod, dind among them).
    expect(check.evidence[0]).toMatch(
      /^pods "rd-probe-[0-9a-f]{8}" is forbidden: violates PodSecurity "baseline:latest": privileged \(containers (?=.*"build")(?=.*"docker").* must not set securityContext\.privileged=true\)$/,
    )
    expect(run.stderr).toContain('server-side dry run')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 90_000)

  it('PodSecurity restricted names only the privileged service container, and what else restricted wants', async () => {
    const namespace = await freshNamespace(cluster, 'psa-restricted', {'pod-security.kubernetes.io/enforce': 'restricted'})
    const config = writeRunnerConfig(`    namespace = "${namespace}"
    [[runners.kubernetes.services]]
      name = "docker:dind"
    [runners.kubernetes.service_container_security_context]
      privileged = true`)
    const run = await probe(namespace, config)
    expect(run.code).toBe(2)
    expect(run.report!.checks[0]!.summary).toContain('pod-security.kubernetes.io/enforce=restricted')
    expect(run.report!.checks[0]!.evidence[0]).toContain(
      'violates PodSecurity "restricted:latest": privileged (container "docker" must not set securityContext.privileged=true), ' +
        'allowPrivilegeEscalation != false (containers ',
    )
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 90_000)

  it('the dry run reports an invalid pod spec from the runner settings (dns_policy none without nameservers)', async () => {
    const namespace = await freshNamespace(cluster, 'invalid')
    const run = await probe(namespace, writeRunnerConfig(privilegedTls('    dns_policy = "none"')))
    expect(run.code).toBe(2)
    const check = run.report!.checks[0]!
    expect(check.id).toBe('kube-admission')
    expect(check.summary).toContain('spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None')
    expect(await podNamesSettled(cluster, namespace)).toEqual([])
  }, 90_000)
})
