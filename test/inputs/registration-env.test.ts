import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {analyzeInput} from '../../src/inputs/detect.js'
import {isRegistrationEnv} from '../../src/inputs/registration-env.js'
import type {TomlTarget} from '../../src/inputs/targets.js'
import {findingsOf as findings, lintOne, root} from './lint-helpers.js'

const fixture = (name: string) => join(root, 'test/fixtures/inputs/registration-env', name)

async function envTarget(text: string): Promise<TomlTarget | undefined> {
  const analyzed = await analyzeInput(text, {chartVersion: '0.86.0', chartVersionFromFlag: false})
  return analyzed.targets.find((t): t is TomlTarget => t.type === 'config-toml')
}

describe('a ConfigMap of registration variables is read as the [[runners]] entry register would write', () => {
  test('the variables become the config.toml table, typed as the runner types them', async () => {
    const target = await envTarget(readFileSync(fixture('configmap.yaml'), 'utf8'))
    expect(target?.data).toEqual({
      runners: [
        {
          url: 'https://gitlab.example.org/',
          name: 'k8s-runner',
          request_concurrency: 4,
          executor: 'kubernetes',
          kubernetes: {
            namespace: 'gitlab',
            privileged: true,
            image: 'ubuntu',
            cpu_limit: '1',
            memory_limit: '1Gi',
            service_cpu_limit: '1',
            service_memory_limit: '1Gi',
            helper_cpu_limit: '500m',
            helper_memory_limit: '100Mi',
            pull_policy: ['if-not-present'],
            poll_interval: 5,
            poll_timeout: 360,
          },
        },
      ],
    })
  })

  test('each TOML pointer is placed at the line of the variable that sets it', async () => {
    const target = (await envTarget(readFileSync(fixture('configmap.yaml'), 'utf8')))!
    const line = (pointer: string) => target.locate(pointer).start.line
    expect(line('/runners/0/kubernetes/privileged')).toBe(16)
    expect(line('/runners/0/kubernetes/cpu_limit')).toBe(18)
    expect(line('/runners/0/kubernetes/pull_policy/0')).toBe(24)
    // A key no variable sets goes to the first variable of its table, the runner itself to `data:`.
    expect(line('/runners/0/kubernetes/cpu_request')).toBe(15)
    expect(line('/runners/0')).toBe(7)
  })

  test('findings point at the ConfigMap keys', async () => {
    const file = await lintOne(fixture('configmap.yaml'))
    expect(file.kind).toBe('registration-env')
    expect(findings(file, 'toml-privileged')).toEqual(['16:3 /data/runners/0/kubernetes/privileged'])
    expect(findings(file, 'toml-image-unpinned')).toEqual(['17:3 /data/runners/0/kubernetes/image'])
    expect(findings(file, 'toml-helper-memory-too-low')).toEqual(['23:3 /data/runners/0/kubernetes/helper_memory_limit'])
  })
})

describe('the same variables in a workload or a Secret', () => {
  test('a Deployment container env: literal values only, an empty one leaves the default', async () => {
    const file = await lintOne(fixture('deployment.yaml'))
    expect(file.kind).toBe('registration-env')
    expect(findings(file, 'toml-jobs-in-system-namespace')).toEqual([
      '29:15 /spec/template/spec/containers/0/env/runners/0/kubernetes/namespace',
    ])
    expect(findings(file, 'toml-invalid-quantity')).toEqual(['35:15 /spec/template/spec/containers/0/env/runners/0/kubernetes/cpu_limit'])
    const target = (await envTarget(readFileSync(fixture('deployment.yaml'), 'utf8')))!
    const runner = (target.data.runners as Array<Record<string, unknown>>)[0]
    expect(runner).not.toHaveProperty('token')
    expect(runner.kubernetes).not.toHaveProperty('helper_image')
  })

  test('a Secret: credentials belong there and are left out, the rest is judged', async () => {
    const file = await lintOne(fixture('secret.yaml'))
    expect(file.kind).toBe('registration-env')
    expect(findings(file, 'toml-privileged')).toEqual(['10:3 /stringData/runners/0/kubernetes/privileged'])
    expect(file.findings.some((f) => f.ruleId === 'toml-secret-in-configmap')).toBe(false)
    expect(JSON.stringify(file)).not.toContain('SECRETVALUEFORTESTS01')
  })

  test("the chart's old manifests: the main container's env is read once, not the init container's copy", async () => {
    const file = await lintOne(join(root, 'test/fixtures/corpus/configmap/Hozalex__kub__gitlab-runner.yaml'))
    const privileged = file.findings.filter((f) => f.ruleId === 'toml-privileged')
    expect(privileged).toHaveLength(1)
    expect(privileged[0].pointer).toBe('/spec/template/spec/containers/0/env/runners/0/kubernetes/privileged')
  })
})

describe("the chart's envVars, set when the chart runs register on runners.config", () => {
  test('a variable wins over the template and its findings point at the variable', async () => {
    const file = await lintOne(fixture('chart-envvars.yaml'))
    expect(file.kind).toBe('helm-values')
    expect(findings(file, 'toml-privileged')).toEqual(['7:5 /runners/config/runners/0/kubernetes/privileged'])
    expect(findings(file, 'toml-jobs-in-system-namespace')).toEqual(['9:5 /runners/config/runners/0/kubernetes/namespace'])
    // What no variable sets keeps its place in the TOML.
    expect(findings(file, 'toml-missing-resources').map((f) => f.split(' ')[0])).toEqual(['16:7'])
  })
})

describe('what is not registration', () => {
  test('a ConfigMap of another program that happens to name the GitLab URL', async () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  CI_SERVER_URL: https://gitlab.com\n  LOG_LEVEL: debug\n'
    const analyzed = await analyzeInput(text, {chartVersion: '0.86.0', chartVersionFromFlag: false})
    expect(analyzed).toMatchObject({kind: 'skipped', skipped: 'ConfigMap without a .toml key or registration variables'})
  })

  test.each([
    [['RUNNER_EXECUTOR'], true],
    [['CI_SERVER_URL', 'KUBERNETES_PRIVILEGED'], true],
    [['REGISTER_NON_INTERACTIVE', 'CI_SERVER_URL'], true],
    [['CI_SERVER_URL', 'RUNNER_NAME'], true],
    [['CI_SERVER_URL', 'LOG_LEVEL'], false],
    [['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'], false],
    [['REGISTER_NON_INTERACTIVE'], false],
  ])('%j → %s', (names, expected) => {
    expect(isRegistrationEnv(names)).toBe(expected)
  })
})

describe('the table read from the runner source', () => {
  test.each([
    [
      'KUBERNETES_BUILD_CONTAINER_SECURITY_CONTEXT_PRIVILEGED',
      'true',
      {kubernetes: {build_container_security_context: {privileged: true}}},
    ],
    [
      'KUBERNETES_SERVICE_CONTAINER_SECURITY_CONTEXT_CAPABILITIES_ADD',
      'NET_RAW, SYS_ADMIN',
      {kubernetes: {service_container_security_context: {capabilities: {add: ['NET_RAW, SYS_ADMIN']}}}},
    ],
    ['FEATURE_FLAGS', 'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION:true', {feature_flags: {FF_USE_ADVANCED_POD_SPEC_CONFIGURATION: true}}],
    ['DOCKER_PULL_POLICY', 'always, if-not-present', {docker: {pull_policy: ['always', 'if-not-present']}}],
    ['KUBERNETES_NODE_SELECTOR', 'kubernetes.io/os:linux', {kubernetes: {node_selector: {'kubernetes.io/os': 'linux'}}}],
    ['CACHE_S3_SERVER_ADDRESS', 'minio:9000', {cache: {s3: {ServerAddress: 'minio:9000'}}}],
    ['KUBERNETES_PRIVILEGED', 'yes', {kubernetes: {privileged: 'yes'}}],
  ])('%s=%s', async (name, value, expected) => {
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  RUNNER_EXECUTOR: kubernetes\n  ${name}: ${JSON.stringify(value)}\n`
    const target = await envTarget(text)
    expect((target!.data.runners as unknown[])[0]).toEqual({executor: 'kubernetes', ...expected})
  })
})
