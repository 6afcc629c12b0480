import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {analyzeInput} from '../../src/inputs/detect.js'
import {parseSetName, setValue} from '../../src/inputs/terraform/helm-set.js'
import type {ValuesTarget} from '../../src/inputs/targets.js'
import {lint} from '../../src/lint/run.js'
import type {FileResult, Finding} from '../../src/lint/types.js'
import {lintOptions as options, root} from './lint-helpers.js'

const dir = join(root, 'test/fixtures/inputs/terraform')
const fixture = (name: string) => join(dir, name)

async function lintOne(name: string): Promise<FileResult> {
  const result = await lint(options([fixture(name)]))
  expect(result.files).toHaveLength(1)
  return result.files[0]
}

const at = (file: FileResult, ruleId: string) =>
  file.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.line}:${f.column} ${f.pointer}`)
const placed = (f: Finding) => `${f.line}:${f.column}`

const SECRETS = [
  'glrt-HEREDOCSECRET1234567890',
  'glrt-SETSENSITIVE0123456789',
  's3-credentials-c0ffee',
  'glrt-LISTSENSITIVE987654321',
  'glrt-BADHCLSECRET123456789',
  'glrt-FAKEFAKEFAKEFAKEFAKE',
]

describe('heredoc values (<<-EOT and <<DELIMITER)', () => {
  let file: FileResult
  beforeAll(async () => {
    file = await lintOne('heredoc.tf')
  })

  test('a .tf file is recognised by its helm_release, other releases are left alone', () => {
    expect(file.kind).toBe('terraform-helm-release')
    expect(file.error).toBeUndefined()
    expect(file.findings.some((f) => f.pointer.includes('cert_manager'))).toBe(false)
  })

  test('TOML in runners.config maps through the indented heredoc and the block scalar to the .tf line and column', () => {
    expect(at(file, 'toml-privileged')).toEqual([
      '27:13 /resource/helm_release/gitlab_runner/values/runners/config/runners/0/kubernetes/privileged',
      '45:9 /resource/helm_release/docker_runner/values/runners/config/runners/0/kubernetes/privileged',
    ])
  })

  test('a ${var.x} interpolation is a placeholder (info) at its place in the heredoc', () => {
    const [placeholder] = file.findings.filter((f) => f.ruleId === 'values-unrendered-placeholder')
    expect(placeholder).toMatchObject({
      line: 19,
      column: 5,
      severity: 'info',
      pointer: '/resource/helm_release/gitlab_runner/values/runnerToken',
    })
  })

  test('a Helm template action inside the heredoc TOML is placed at its column', () => {
    expect(file.findings.filter((f) => f.ruleId === 'helm-template-not-evaluated').map(placed)).toEqual(['25:26'])
  })

  test('a token written in the flush heredoc is named at its line, never printed', () => {
    expect(at(file, 'values-plain-runner-token')).toEqual(['39:1 /resource/helm_release/docker_runner/values/runnerToken'])
    expect(JSON.stringify(file)).not.toContain('HEREDOCSECRET')
  })
})

describe('yamlencode({...}) and jsonencode({...})', () => {
  let file: FileResult
  beforeAll(async () => {
    file = await lintOne('yamlencode.tf')
  })

  test('a finding on an HCL attribute points at that attribute', () => {
    expect(at(file, 'values-legacy-privileged')).toEqual(['17:9 /resource/helm_release/gitlab_runner/values/runners/privileged'])
    expect(at(file, 'values-rbac-wildcard')).toEqual(['14:9 /resource/helm_release/gitlab_runner/values/rbac/create'])
  })

  test('a heredoc inside the HCL object maps its TOML lines into the .tf file', () => {
    expect(at(file, 'toml-privileged')).toEqual([
      '22:15 /resource/helm_release/gitlab_runner/values/runners/config/runners/0/kubernetes/privileged',
    ])
  })

  test('a jsonencode entry is merged after the yamlencode one, with positions of its own', () => {
    expect(at(file, 'values-unknown-key')).toEqual(['28:7 /resource/helm_release/gitlab_runner/values/concurent'])
  })

  test('version = "x.y.z" is the chart version for version-aware rules', () => {
    expect(file.chartVersion).toBe('0.80.1')
  })

  test('a --chart-version flag wins over the release version', async () => {
    const result = await lint(options([fixture('yamlencode.tf')], {chartVersion: '0.77.2'}))
    expect(result.files[0].chartVersion).toBe('0.77.2')
  })
})

describe('set {} and set_sensitive {} blocks, and the list form', () => {
  let file: FileResult
  beforeAll(async () => {
    file = await lintOne('set.tf')
  })

  test('a set value is applied as helm --set applies it and placed at its name', () => {
    expect(at(file, 'values-legacy-privileged')).toEqual([
      '15:13 /resource/helm_release/gitlab_runner/values/runners/privileged',
      '43:14 /resource/helm_release/second_runner/values/runners/privileged',
    ])
  })

  test('a set_sensitive token is found and never printed', () => {
    expect(at(file, 'values-plain-runner-token')).toEqual([
      '26:13 /resource/helm_release/gitlab_runner/values/runnerToken',
      '46:14 /resource/helm_release/second_runner/values/runnerToken',
    ])
    const text = JSON.stringify(file)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
  })

  test('values read from file() make the release judged on what it writes itself', () => {
    expect(file.completedBy).toBe('file("runner-values.yaml")')
  })

  test('dotted and escaped names, Helm typing and type = "string"', async () => {
    const analyzed = await analyzeInput(readFileSync(fixture('set.tf'), 'utf8'), {chartVersion: '0.80.1', chartVersionFromFlag: false})
    const [first] = analyzed.targets.filter((t): t is ValuesTarget => t.type === 'values')
    expect(first.user).toMatchObject({
      runners: {privileged: true},
      podAnnotations: {'prometheus.io/scrape': 'true'},
      runnerToken: 'glrt-SETSENSITIVE0123456789',
    })
    expect(first.sensitive).toEqual(['glrt-SETSENSITIVE0123456789', 's3-credentials-c0ffee'])
  })

  test('set_list gives a list, set_sensitive in the list form is hidden too', async () => {
    const analyzed = await analyzeInput(readFileSync(fixture('set.tf'), 'utf8'), {chartVersion: '0.80.1', chartVersionFromFlag: false})
    const second = analyzed.targets.filter((t): t is ValuesTarget => t.type === 'values')[1]
    expect(second.user).toMatchObject({runners: {privileged: true, tags: ['docker', 3]}})
    expect(second.sensitive).toEqual(['glrt-LISTSENSITIVE987654321'])
  })
})

describe('values only Terraform knows', () => {
  test('a reference is a ${…} placeholder named after it; other expressions are named without their text', async () => {
    const text = [
      'resource "helm_release" "r" {',
      '  chart = "gitlab-runner"',
      '  set = [',
      '    { name = "runnerToken", value = var.tokens[each.key] },',
      '    { name = "gitlabUrl", value = var.prod ? "https://a.example" : "glrt-NOTPRINTED123456" },',
      '  ]',
      '}',
      '',
    ].join('\n')
    const analyzed = await analyzeInput(text, {chartVersion: '0.80.1', chartVersionFromFlag: false})
    const values = analyzed.targets.find((t): t is ValuesTarget => t.type === 'values')!
    expect(values.user).toEqual({runnerToken: '${var.tokens}', gitlabUrl: '${terraform_expression}'})
  })
})

describe('values only Terraform knows (continued)', () => {
  test('"${file(...)}", the pre-0.12 spelling, names the file it reads', async () => {
    const text = 'resource "helm_release" "r" {\n  chart = "gitlab-runner"\n  values = ["${file("./values.yaml")}"]\n}\n'
    const analyzed = await analyzeInput(text, {chartVersion: '0.80.1', chartVersionFromFlag: false})
    const values = analyzed.targets.find((t): t is ValuesTarget => t.type === 'values')!
    expect(values.completedBy).toBe('file("./values.yaml")')
    expect(analyzed.references).toEqual([{path: './values.yaml', usedBy: 'helm_release.r'}])
  })
})

describe('helm --set names and values', () => {
  test('names split on unescaped dots, with list indexes', () => {
    expect(parseSetName('runners.config')).toEqual(['runners', 'config'])
    expect(parseSetName('serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account')).toEqual([
      'serviceAccount',
      'annotations',
      'iam.gke.io/gcp-service-account',
    ])
    expect(parseSetName('hostAliases[0].hostnames[1]')).toEqual(['hostAliases', 0, 'hostnames', 1])
    expect(parseSetName('a..b')).toBeUndefined()
  })

  test('values are typed as Helm types them', () => {
    expect(setValue('20', undefined)).toBe(20)
    expect(setValue('true', undefined)).toBe(true)
    expect(setValue('1.5', undefined)).toBe('1.5')
    expect(setValue('007', undefined)).toBe('007')
    expect(setValue('true', 'string')).toBe('true')
    expect(setValue('{a,b\\,c,3}', undefined)).toEqual(['a', 'b,c', 3])
  })
})

describe('templatefile() and file() references', () => {
  test('the referenced values file is linted when in the run and names the release that reads it', async () => {
    const result = await lint(options([fixture('templatefile.tf'), fixture('values.yaml.tpl')]))
    const [release, template] = result.files
    expect(release).toMatchObject({kind: 'terraform-helm-release', chartVersion: '0.79.0', completedBy: 'templatefile("values.yaml.tpl")'})
    expect(template).toMatchObject({
      kind: 'helm-values',
      completedBy: 'helm_release.gitlab_runner in test/fixtures/inputs/terraform/templatefile.tf',
    })
    expect(at(template, 'values-unrendered-placeholder')).toEqual(['2:1 /runnerToken'])
  })

  test('a directory walk links file() values to the release that reads them', async () => {
    const result = await lint(options([dir], {failOn: 'none'}))
    const values = result.files.find((f) => f.path.endsWith('runner-values.yaml'))
    expect(values?.completedBy).toBe('helm_release.gitlab_runner in test/fixtures/inputs/terraform/set.tf')
  })
})

describe('which .tf files are read', () => {
  test('a directory walk includes .tf files with a gitlab-runner release and passes over the others silently', async () => {
    const result = await lint(options([dir], {failOn: 'none'}))
    const names = result.files.map((f) => f.path.slice(dir.length + 1))
    expect(names).toEqual(['bad-hcl.tf', 'heredoc.tf', 'runner-values.yaml', 'set.tf', 'templatefile.tf', 'yamlencode.tf'])
  })

  test('a .tf file named on the command line without such a release is skipped, not an error', async () => {
    const result = await lint(options([fixture('not-runner.tf')]))
    expect(result.files[0]).toMatchObject({kind: 'skipped', skipped: 'no gitlab-runner helm_release'})
    expect(result.files[0].error).toBeUndefined()
    expect(result.summary.exitCode).toBe(0)
  })
})

describe('bad HCL', () => {
  test('is one error at file:line:col, exit 2, and the other files are still checked', async () => {
    const result = await lint(options([fixture('bad-hcl.tf'), fixture('heredoc.tf')]))
    expect(result.files[0].error).toEqual({message: 'Invalid HCL syntax.', line: 10, column: 13})
    expect(result.files[1].findings.length).toBeGreaterThan(0)
    expect(result.summary.exitCode).toBe(2)
  })

  test('a list left open to the end of the file is placed at the end', async () => {
    const analyzed = await analyzeInput('resource "helm_release" "r" {\n  chart = "gitlab-runner"\n  values = [\n', {
      chartVersion: '0.80.1',
      chartVersionFromFlag: false,
    })
    expect(analyzed.error).toEqual({
      message: 'Invalid HCL: unexpected end of file (a block, list or string is not closed).',
      line: 3,
      column: 13,
    })
  })

  test('an unclosed heredoc is an HCL error, not values', async () => {
    const analyzed = await analyzeInput(
      'resource "helm_release" "r" {\n  chart  = "gitlab-runner"\n  values = [<<EOT\nrunners: {}\n]\n}\n',
      {chartVersion: '0.80.1', chartVersionFromFlag: false},
    )
    expect(analyzed.error?.message).toMatch(/^Invalid HCL/)
    expect(analyzed.targets).toEqual([])
  })

  test('YAML that does not parse inside a heredoc is placed in the .tf file', async () => {
    const text =
      'resource "helm_release" "r" {\n  chart  = "gitlab-runner"\n  values = [<<-EOT\n    runners:\n      ' +
      'config: [unclosed\n  EOT\n  ]\n}\n'
    const analyzed = await analyzeInput(text, {chartVersion: '0.80.1', chartVersionFromFlag: false})
    expect(analyzed.error).toMatchObject({line: 6, message: expect.stringMatching(/^helm_release\.r values\[0\]: /)})
  })
})

describe('heredoc indentation', () => {
  test('lines holding only a template directive (%{ if }, %{ endif }) are left out, the rest keeps its lines', async () => {
    const text = [
      'resource "helm_release" "r" {',
      '  chart  = "gitlab-runner"',
      '  values = [<<-EOT',
      '    %{ if var.privileged }',
      '    runners:',
      '      privileged: true',
      '    %{ endif }',
      '  EOT',
      '  ]',
      '}',
      '',
    ].join('\n')
    const analyzed = await analyzeInput(text, {chartVersion: '0.80.1', chartVersionFromFlag: false})
    expect(analyzed.error).toBeUndefined()
    const values = analyzed.targets.find((t): t is ValuesTarget => t.type === 'values')!
    expect(values.user).toEqual({runners: {privileged: true}})
    expect(values.locate('/runners/privileged').start).toEqual({line: 6, column: 7})
  })

  test('<<- strips the smallest indentation of the non-blank lines; columns stay those of the file', async () => {
    const text = [
      'resource "helm_release" "r" {',
      '  chart  = "gitlab-runner"',
      '  values = [<<-EOT',
      '      runners:',
      '',
      '        config: |',
      '          [[runners]]',
      '            [runners.kubernetes]',
      '              privileged = true',
      '    EOT',
      '  ]',
      '}',
      '',
    ].join('\n')
    const analyzed = await analyzeInput(text, {chartVersion: '0.80.1', chartVersionFromFlag: false})
    const toml = analyzed.targets.find((t) => t.type === 'config-toml')!
    expect(toml.locate('/runners/0/kubernetes/privileged').start).toEqual({line: 9, column: 15})
  })
})

// The CLI runs the esbuild bundle from a V8 code cache: the HCL parser (WebAssembly) must load there too.
const cli = join(root, 'bin/run.cjs')
const built = existsSync(join(root, 'dist/lint-bundle/fast-entry.cjs'))

;(built ? describe : describe.skip)('the built CLI', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'lint', ...args], {cwd: root, encoding: 'utf8'})

  test('prints no set_sensitive value or heredoc token in any format', () => {
    for (const format of ['stylish', 'json', 'sarif', 'junit', 'codeclimate']) {
      const out = run(dir, join(root, 'test/fixtures/corpus/terraform'), '--format', format, '--fail-on', 'none')
      expect(out.stdout).toContain('heredoc.tf')
      for (const secret of SECRETS) {
        expect(out.stdout).not.toContain(secret)
        expect(out.stderr).not.toContain(secret)
      }
    }
  })

  test('bad HCL is one file:line:col line and exit 2', () => {
    const out = run('test/fixtures/inputs/terraform/bad-hcl.tf', '--format', 'json')
    expect(out.status).toBe(2)
    const lines = out.stderr.split('\n').filter((line) => line.includes('bad-hcl.tf'))
    expect(lines).toEqual(['test/fixtures/inputs/terraform/bad-hcl.tf:10:13: Invalid HCL syntax.'])
    expect(JSON.parse(out.stdout).files[0].kind).toBe('skipped')
  })

  test('the JSON kind of a release file is terraform-helm-release', () => {
    const out = run('test/fixtures/inputs/terraform/heredoc.tf', '--format', 'json', '--fail-on', 'none')
    expect(JSON.parse(out.stdout).files[0].kind).toBe('terraform-helm-release')
  })
})

describe('set names that could reach the object prototype or grow huge lists', () => {
  test('__proto__ and constructor are keys of the values, never Object.prototype', async () => {
    const {applySet} = await import('../../src/inputs/terraform/helm-set.js')
    const values: Record<string, unknown> = {}
    applySet(values, parseSetName('__proto__.polluted')!, 'yes')
    applySet(values, parseSetName('constructor.prototype.polluted')!, 'yes')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype)
    expect(Object.keys(values).sort()).toEqual(['__proto__', 'constructor'])
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toEqual({polluted: 'yes'})
  })

  test("a list index above Helm's 65536 is not a set name", () => {
    expect(parseSetName('runners.list[65536]')).toEqual(['runners', 'list', 65536])
    expect(parseSetName('runners.list[65537]')).toBeUndefined()
    expect(parseSetName('runners.list[9007199254740991]')).toBeUndefined()
  })
})
