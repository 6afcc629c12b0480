import {join} from 'node:path'

import {lint, type LintOptions} from '../../src/lint/run.js'
import type {FileResult, Finding} from '../../src/lint/types.js'
import {lintOptions as options, root} from './lint-helpers.js'

const corpus = (p: string) => join(root, 'test/fixtures/corpus', p)
const inputs = (p: string) => join(root, 'test/fixtures/inputs', p)

async function lintOne(path: string, extra: Partial<LintOptions> = {}): Promise<FileResult> {
  const result = await lint(options([path], extra))
  expect(result.files).toHaveLength(1)
  return result.files[0]
}

const byRule = (file: FileResult, id: string): Finding[] => file.findings.filter((f) => f.ruleId === id)

describe('the tutorial values file (examples/)', () => {
  let file: FileResult
  beforeAll(async () => {
    file = await lintOne(join(root, 'examples/gitlab-runner-values.yaml'))
  })

  test('is detected as chart values', () => {
    expect(file.kind).toBe('helm-values')
    expect(file.error).toBeUndefined()
  })

  test('privileged is placed at its TOML line inside the YAML file', () => {
    const [finding] = byRule(file, 'toml-privileged')
    expect(finding).toMatchObject({line: 34, column: 9, severity: 'error', pointer: '/runners/config/runners/0/kubernetes/privileged'})
  })

  test('the token to fill in (glrt-YOUR_TOKEN_HERE) is named as a placeholder, not as a plain token, and not printed', () => {
    expect(byRule(file, 'values-plain-runner-token')).toEqual([])
    expect(byRule(file, 'values-token-placeholder')[0]).toMatchObject({line: 3, column: 1, pointer: '/runnerToken'})
    expect(JSON.stringify(file)).not.toContain('glrt-YOUR_TOKEN_HERE')
  })

  test('helper and service requests and limits are missing, the build container is complete', () => {
    // One finding per runner, naming every container that is not fully sized (issue 14).
    const messages = byRule(file, 'toml-missing-resources').map((f) => f.message)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('The helper container has no CPU or memory requests or limits')
    expect(messages[0]).toMatch(/service container has no service_cpu_request, service_memory_request:/)
  })

  test('alpine:latest is unpinned', () => {
    expect(byRule(file, 'toml-image-unpinned')[0]).toMatchObject({line: 21, column: 9})
  })

  test('capacity is 2 replicas × 10 concurrent = 20 jobs', () => {
    expect(file.capacity).toMatchObject({
      maxConcurrentJobs: 20,
      managerReplicas: 2,
      replicasSource: 'replicas',
      concurrent: 10,
      runnerLimitSum: null,
    })
    // build 500m + helper none + one service limited to 1 CPU (request defaults to the limit)
    expect(file.capacity?.perJobRequests).toEqual({cpuMillicores: 1500, memoryBytes: 512 * 2 ** 20 + 2 ** 30})
  })

  test('the runner version comes from image.tag', () => {
    expect(file.runnerVersion).toBe('18.3.0')
  })
})

describe('wrappers place findings in the original file', () => {
  test('Flux HelmRelease spec.values', async () => {
    const file = await lintOne(corpus('helmrelease/alvistar__fluxcd-test__gitlab-runner.yaml'))
    expect(file.kind).toBe('flux-helmrelease')
    expect(file.findings.every((f) => f.pointer.startsWith('/spec/values'))).toBe(true)
    expect(file.findings.length).toBeGreaterThan(0)
  })

  test('Argo CD Application with a values string maps TOML lines through two block scalars', async () => {
    const file = await lintOne(corpus('argocd/kacchan822__ouchi-k8s__apps__gitlab-runner.yaml'))
    expect(file.kind).toBe('argocd-application')
    expect(byRule(file, 'toml-privileged')[0]).toMatchObject({
      line: 32,
      pointer: '/spec/source/helm/values/runners/config/runners/0/kubernetes/privileged',
    })
    expect(byRule(file, 'values-legacy-privileged')[0]).toMatchObject({line: 26})
  })

  test('Argo CD Application valuesObject, with the chart version from targetRevision', async () => {
    const file = await lintOne(inputs('argocd-values-object.yaml'))
    expect(file.kind).toBe('argocd-application')
    expect(file.chartVersion).toBe('0.80.1')
    expect(byRule(file, 'toml-privileged')[0]).toMatchObject({line: 21, column: 17})
  })

  test('helmfile inline values (file references are left alone)', async () => {
    const file = await lintOne(inputs('helmfile.yaml'))
    expect(file.kind).toBe('helmfile')
    expect(file.chartVersion).toBe('0.77.2')
    expect(byRule(file, 'toml-privileged')[0]).toMatchObject({
      line: 18,
      column: 17,
      pointer: '/releases/0/values/1/runners/config/runners/0/kubernetes/privileged',
    })
  })

  test('kustomize helmCharts valuesInline', async () => {
    const file = await lintOne(inputs('kustomization.yaml'))
    expect(file.kind).toBe('kustomization')
    expect(byRule(file, 'toml-privileged')[0]).toMatchObject({line: 21, column: 15})
  })

  test('a ConfigMap holding config.toml', async () => {
    const file = await lintOne(corpus('configmap/yezhoujie__gitlab-runner-kubernetes__gitlab-runner.yaml'))
    expect(file.kind).toBe('configmap')
    expect(file.findings.every((f) => f.pointer.startsWith('/data/'))).toBe(true)
  })

  test('umbrella chart values nested under the dependency key', async () => {
    const file = await lintOne(corpus('umbrella/nobidev__gitlab-charts__examples__i2p-values-minimal.yaml'))
    expect(file.kind).toBe('helm-values')
    expect(byRule(file, 'values-legacy-privileged')[0]).toMatchObject({line: 22, pointer: '/gitlab-runner/runners/privileged'})
  })

  test('an OpenShift Template with a ConfigMap in objects[] and ${PARAM} placeholders', async () => {
    const file = await lintOne(corpus('placeholders/danigonzalez__gitlab-runner-openshift__gitlab-runner.yaml'))
    expect(file.error).toBeUndefined()
    expect(file.kind).toBe('configmap')
    // Once for the file, naming who fills the parameters in (issue 14).
    const placeholders = byRule(file, 'toml-unrendered-placeholder')
    expect(placeholders).toHaveLength(1)
    expect(placeholders[0].message).toMatch(/^22 placeholders filled in by OpenShift Template at deploy time \(\$\{GITLAB_RUNNER_JOBS\}/)
    expect(byRule(file, 'toml-secret-in-configmap')).toHaveLength(0)
  })
})

describe('Helm template syntax inside runners.config', () => {
  test('if/else, range, toToml and value expressions keep the TOML checkable', async () => {
    const file = await lintOne(inputs('templated-runners-config.yaml'))
    expect(file.error).toBeUndefined()
    expect(byRule(file, 'toml-privileged')[0]).toMatchObject({line: 15, column: 9})
    // One notice for the file, at the first action, saying what lint did with each kind (issue 14).
    const notes = byRule(file, 'helm-template-not-evaluated')
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatchObject({line: 6, column: 7, severity: 'info'})
    expect(notes[0].message).toMatch(/^Helm template: 8 actions not evaluated \(\{\{- if \.Values\.runners\.name \}\}/)
    for (const effect of [
      'only the first branch',
      'inside strings are kept as text',
      'treated as unknown',
      'bodies are checked once',
      'output that may add TOML',
    ]) {
      expect(notes[0].message).toContain(effect)
    }
  })

  test('a real file with an inline if/else inside a string parses', async () => {
    const file = await lintOne(corpus('values/Zokuaku__homelab-platform__platform__gitlab-runner__values.yaml'))
    expect(file.error).toBeUndefined()
    expect(byRule(file, 'helm-template-not-evaluated').length).toBeGreaterThan(0)
    expect(byRule(file, 'toml-privileged')).toHaveLength(0)
  })
})

describe('config.toml', () => {
  test('several runners, any executor: kubernetes rules apply to kubernetes runners only', async () => {
    const file = await lintOne(corpus('config-toml/gitlabhq__gitlab-runner__commands__testdata__test-config.toml'))
    expect(file.kind).toBe('config-toml')
    expect(byRule(file, 'toml-missing-resources')).toHaveLength(0)
  })

  test('a TOML syntax error is file:line:col and the other files are still checked', async () => {
    const result = await lint(
      options([corpus('config-toml/gitlabhq__gitlab-runner__commands__testdata__lint__invalid_syntax.toml'), join(root, 'examples')]),
    )
    expect(result.files[0].error).toEqual({message: 'Illegal character in key.', line: 4, column: 10})
    expect(result.files[1].findings.length).toBeGreaterThan(0)
    expect(result.summary.exitCode).toBe(2)
  })
})

describe('what is not runner configuration is skipped, exit 0', () => {
  test.each([
    ['empty.yaml', 'empty file'],
    ['sops-encrypted.yaml', 'encrypted with SOPS; lint the decrypted file'],
  ])('%s', async (name, reason) => {
    const result = await lint(options([inputs(name)]))
    expect(result.files[0]).toMatchObject({kind: 'skipped', skipped: reason})
    expect(result.summary.exitCode).toBe(0)
  })

  test('a Kubernetes object of another kind', async () => {
    const file = await lintOne(corpus('argocd/Zokuaku__homelab-platform__applications__gitlab-runner.yaml'))
    expect(file.kind).toBe('skipped')
  })
})

describe('hostile input', () => {
  test('a YAML alias bomb is refused fast with its position', async () => {
    const started = Date.now()
    const file = await lintOne(inputs('alias-bomb.yaml'))
    expect(file.error?.message).toMatch(/alias/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('a missing path is an error that names it', async () => {
    const result = await lint(options([inputs('does-not-exist.yaml')]))
    expect(result.files[0].error?.message).toBe('No such file or directory.')
    expect(result.summary.exitCode).toBe(2)
  })
})

describe('the whole corpus', () => {
  test('every file is read without a crash; broken ones are errors with positions', async () => {
    const result = await lint(options([join(root, 'test/fixtures/corpus')]))
    expect(result.files.length).toBeGreaterThanOrEqual(45)
    const errored = result.files.filter((f) => f.error).map((f) => f.path.split('/').pop())
    // Broken on purpose upstream: invalid TOML in GitLab's own lint test data, and a stray quote in one values file.
    expect(errored.sort()).toEqual([
      'DeveloperDurp__homelab__gitlab-runner__values.yaml',
      'gitlabhq__gitlab-runner__commands__testdata__lint__invalid_syntax.toml',
    ])
    for (const f of result.files) for (const finding of f.findings) expect(finding.line).toBeGreaterThan(0)
  })
})

describe('values that other files complete', () => {
  test('HelmRelease valuesFrom: what is written is checked, chart defaults and absences are not judged', async () => {
    const file = await lintOne(inputs('helmrelease-values-from.yaml'))
    expect(file.completedBy).toBe('spec.valuesFrom')
    const rules = new Set(file.findings.map((f) => f.ruleId))
    // Written here: the privileged runner.
    expect(rules.has('toml-privileged')).toBe(true)
    // Chart defaults (resources: {}) and settings the Secret may carry (gitlabUrl, rbac.rules) are not judged.
    for (const id of ['values-manager-resources-missing', 'values-no-gitlab-url', 'values-rbac-wildcard']) expect(rules.has(id)).toBe(false)
  })

  test('a helmfile value list: each entry is judged on what it holds, without the chart default runners.config', async () => {
    const file = await lintOne(corpus('helmfile/slimemoss__argocd-system__gitlab-runner__helmfile.yaml'))
    expect(file.completedBy).toBe('releases[0].values')
    expect(file.findings.every((f) => f.pointer.startsWith('/releases/0/values/'))).toBe(true)
    expect(file.capacity).toBeUndefined()
  })
})

describe('real .gitlab-ci.yml files with a dind service (test/fixtures/corpus/gitlab-ci)', () => {
  const dir = corpus('gitlab-ci')

  test('each is read as a pipeline, and pipelines that run as they are get no dind finding on their own', async () => {
    const result = await lint(options([dir]))
    expect(result.files.length).toBeGreaterThanOrEqual(12)
    for (const file of result.files) {
      // mender-convert repeats a key (needs:) in one job; GitLab takes the last one, and so does lint.
      expect({path: file.path, kind: file.kind, error: file.error}).toEqual({path: file.path, kind: 'gitlab-ci', error: undefined})
      expect(file.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual([])
    }
  })

  test('with its runner values: chart 0.86 ignores the legacy runners.privileged, a pre-0.53 chart honours it', async () => {
    const pair = [
      join(dir, 'nirbhabbarat__gitlab-ephemeral-environment-demo__gitlab-ci.yml'),
      corpus('values/nirbhabbarat__gitlab-ephemeral-environment-demo__gitlab-runner.yaml'),
    ]
    const ciFindings = async (chartVersion?: string) =>
      (await lint(options(pair, {chartVersion}))).files[0].findings.map((f) => `${f.line} ${f.ruleId}`)
    expect(await ciFindings()).toEqual(['11 ci-dind-runner-not-privileged'])
    // docker:18.09 predates TLS by default, so tcp://localhost:2375 is right for it.
    expect(await ciFindings('0.40.0')).toEqual([])
  })
})
