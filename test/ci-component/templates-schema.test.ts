// Every component in templates/, interpolated with its defaults and with non-default inputs, must be
// a configuration GitLab accepts: checked against GitLab's own CI schema, plus the header rules the
// schema does not express (defaults among the options, defaults matching the regex).
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {type Component, type InputValue, interpolate, loadComponent, repoRoot, resolveInputs, schemaErrors} from './component.js'

const componentNames = readdirSync(join(repoRoot, 'templates'))
  .filter((file) => file.endsWith('.yml'))
  .map((file) => file.replace(/\.yml$/, ''))

const packageVersion = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string

/** Non-default values for every input of both components, so each job is rendered the other way too. */
const otherInputs: Record<string, Record<string, InputValue>> = {
  lint: {
    stage: 'verify',
    job_name: 'lint runner values',
    files: 'deploy/runner/values.yaml deploy/runner/config.toml',
    fail_on: 'warning',
    chart_version: '0.71.0',
    config: 'ci/.runner-doctor.yaml',
    allow_empty: true,
    image: 'registry.example.com/platform/runner-doctor:0.2.0-rc.1',
    cli_version: '0.2.0-rc.1',
    allow_failure: true,
    pipelines: 'custom',
    rules: [{if: '$CI_COMMIT_TAG'}, {when: 'manual'}],
  },
  probe: {
    stage: 'diagnose',
    job_name: 'probe-k8s-prod',
    tags: ['k8s', 'prod'],
    dind_image: 'registry.example.com/mirror/docker:28.3-dind',
    tls: false,
    targets: ['registry.example.com', 'git.example.com'],
    dind_wait: 30,
    extra_args: '--timeout 60',
    image: 'registry.example.com/platform/runner-doctor:0.2.0',
    cli_version: '0.2.0',
    allow_failure: true,
    rules: [{if: '$CI_PIPELINE_SOURCE == "schedule"'}],
  },
}

/** Inputs without a default: the probe needs the runner tags, everything else has a default. */
const requiredInputs: Record<string, Record<string, InputValue>> = {lint: {}, probe: {tags: ['k8s']}}

test('templates/ holds the lint and probe components', () => {
  expect(componentNames.sort()).toEqual(['lint', 'probe'])
})

describe.each(componentNames)('component %s', (name) => {
  const component: Component = loadComponent(name)
  const specs = component.header.spec.inputs

  test('the spec header validates against GitLab’s CI schema', () => {
    expect(schemaErrors(component.header)).toEqual([])
    expect(Object.keys(component.header)).toEqual(['spec'])
    expect(Object.keys(component.header.spec)).toEqual(['inputs'])
  })

  test('every input is described, typed consistently, and its default passes its own options and regex', () => {
    for (const [key, spec] of Object.entries(specs)) {
      expect({key, described: (spec.description ?? '').length > 20}).toEqual({key, described: true})
      expect(key).toMatch(/^[a-z][a-z0-9_]*$/)
      if (spec.options) {
        expect(spec.options.length).toBeLessThanOrEqual(50)
        expect(spec.options).toContain(spec.default)
      }
      if (spec.regex !== undefined) expect(String(spec.default)).toMatch(new RegExp(spec.regex))
      if (spec.regex !== undefined) expect(spec.type ?? 'string').toBe('string')
    }
    expect(() => resolveInputs(component, requiredInputs[name])).not.toThrow()
  })

  test('stage and job name are inputs, so a consumer can place the job and include it twice', () => {
    expect(specs.stage?.default).toBe('test')
    expect(specs.job_name?.default).toBe(`runner-doctor-${name}`)
    // No registry namespace is written into a component: the default is a public Node image, and the CLI comes
    // from npm at the version released with the component (or from the PATH of an image that has it).
    expect(specs.image?.default).toBe('node:24-alpine')
    expect(specs.cli_version?.default).toBe(packageVersion)
    expect(readFileSync(component.path, 'utf8')).not.toMatch(/registry\.gitlab\.com|gitlab\.com\//)
  })

  test('the body uses no global keywords and every input is used', () => {
    const globalKeywords = [
      'default',
      'stages',
      'variables',
      'workflow',
      'image',
      'services',
      'include',
      'before_script',
      'after_script',
      'cache',
    ]
    expect(Object.keys(component.body).filter((key) => globalKeywords.includes(key))).toEqual([])
    const text = readFileSync(component.path, 'utf8').split(/^---$/m)[1]
    for (const key of Object.keys(specs)) expect(text).toContain(`$[[ inputs.${key} ]]`)
  })

  test.each([
    ['default inputs', requiredInputs[name]],
    ['non-default inputs', otherInputs[name]],
  ])('the jobs validate against GitLab’s CI schema with %s', (_label, given) => {
    const values = resolveInputs(component, given)
    const pipeline = interpolate(component.body, values) as Record<string, Record<string, unknown>>
    expect(schemaErrors(pipeline)).toEqual([])
    const jobName = String(values.job_name)
    const job = pipeline[jobName]
    expect(job).toBeDefined()
    expect(job.stage).toBe(values.stage)
    // The job's rules: its own, or those of the rule set it extends.
    const rules = job.rules ?? pipeline[String(job.extends)]?.rules
    if (name === 'probe' || values.pipelines === 'custom') expect(rules).toEqual(values.rules)
    else expect(Array.isArray(rules) && rules.length > 0).toBe(true)
    expect(JSON.stringify(pipeline)).not.toContain('$[[')
    const visibleJobs = Object.keys(pipeline).filter((key) => !key.startsWith('.'))
    expect(visibleJobs).toEqual([jobName])
  })

  test('values GitLab would refuse are refused', () => {
    const base = requiredInputs[name]
    expect(() => resolveInputs(component, {...base, no_such_input: 'x'})).toThrow('unknown input arguments: [no_such_input]')
    expect(() => resolveInputs(component, {...base, allow_failure: 'yes'})).toThrow('provided value is not a boolean')
    expect(() => resolveInputs(component, {...base, cli_version: 'latest'})).toThrow('does not match required RegEx pattern')
  })
})

describe('lint component job', () => {
  const component = loadComponent('lint')
  const render = (given: Record<string, InputValue>) => {
    const values = resolveInputs(component, given)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, read field by field
    return interpolate(component.body, values) as Record<string, Record<string, any>>
  }

  test('publishes both reports GitLab ingests, also as browsable files, even when the job fails', () => {
    const job = render({})['runner-doctor-lint']
    expect(job.artifacts.when).toBe('always')
    expect(job.artifacts.reports).toEqual({codequality: 'gl-code-quality-report.json', junit: 'runner-doctor-junit.xml'})
    expect(job.artifacts.paths).toEqual(expect.arrayContaining(['gl-code-quality-report.json', 'runner-doctor-junit.xml']))
  })

  const rulesOf = (given: Record<string, InputValue>) => {
    const pipeline = render(given)
    const job = pipeline[String(resolveInputs(component, given).job_name)]
    expect(job.rules).toBeUndefined()
    return pipeline[job.extends].rules
  }

  test('by default runs in merge request pipelines and on the default branch, not twice for a branch with an open merge request', () => {
    expect(rulesOf({})).toEqual([
      {if: '$CI_PIPELINE_SOURCE == "merge_request_event"'},
      {if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never'},
      {if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'},
    ])
  })

  test('pipelines: branch runs in every branch pipeline and never makes a merge request pipeline; custom takes the rules input', () => {
    const branch = rulesOf({pipelines: 'branch'})
    expect(branch).toEqual([{if: '$CI_COMMIT_BRANCH'}])
    expect(JSON.stringify(branch)).not.toContain('merge_request_event')
    expect(rulesOf({pipelines: 'custom', rules: [{if: '$CI_COMMIT_TAG'}]})).toEqual([{if: '$CI_COMMIT_TAG'}])
    expect(() => resolveInputs(component, {pipelines: 'both'})).toThrow('cannot be used')
  })

  test('installs in a step of its own that ends with exit code 2 when the install fails, and caches .npm per CLI version', () => {
    const job = render({cli_version: '0.3.1'})['runner-doctor-lint']
    expect(job.script).toHaveLength(2)
    expect(job.script[0]).toMatch(
      /npm install [^\n]*"runner-doctor@\$\{RUNNER_DOCTOR_CLI_VERSION\}"; then\n\s+echo "Could not install[^\n]*\n\s+exit 2\n/,
    )
    expect(job.script[1]).not.toContain('npm')
    expect(job.cache).toEqual({key: 'runner-doctor-npm-0.3.1', paths: ['.npm/']})
    expect(job.variables.npm_config_cache).toBe('$CI_PROJECT_DIR/.npm')
  })

  test('an unknown fail_on value is refused', () => {
    expect(() => resolveInputs(component, {fail_on: 'fatal'})).toThrow('`fatal` cannot be used')
    expect(() => resolveInputs(component, {chart_version: 'v1'})).toThrow('does not match')
  })

  test('passes the inputs to the job as variables, never spliced into the script', () => {
    const job = render(otherInputs.lint)['lint runner values']
    expect(job.variables).toMatchObject({
      RUNNER_DOCTOR_FILES: 'deploy/runner/values.yaml deploy/runner/config.toml',
      RUNNER_DOCTOR_FAIL_ON: 'warning',
      RUNNER_DOCTOR_CHART_VERSION: '0.71.0',
      RUNNER_DOCTOR_CONFIG: 'ci/.runner-doctor.yaml',
    })
    expect(String(job.variables.RUNNER_DOCTOR_ALLOW_EMPTY)).toBe('true')
    expect(JSON.stringify(job.script)).not.toContain('deploy/runner')
    expect(job.allow_failure).toEqual({exit_codes: [3]})
  })
})

describe('probe component job', () => {
  const component = loadComponent('probe')
  const render = (given: Record<string, InputValue>) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, read field by field
    interpolate(component.body, resolveInputs(component, given)) as Record<string, Record<string, any>>

  test('starts dind with the alias docker and picks the runner by tags', () => {
    const job = render(otherInputs.probe)['probe-k8s-prod']
    expect(job.services).toEqual([{name: 'registry.example.com/mirror/docker:28.3-dind', alias: 'docker'}])
    expect(job.tags).toEqual(['k8s', 'prod'])
    expect(job.variables.RUNNER_DOCTOR_TARGETS).toBe('targets=["registry.example.com","git.example.com"]')
    expect(String(job.variables.RUNNER_DOCTOR_DIND_WAIT)).toBe('30')
    expect(job.artifacts.paths).toEqual(['runner-doctor-probe.json', 'runner-doctor-probe-junit.xml', 'runner-doctor-probe.md'])
    expect(job.artifacts.reports).toEqual({junit: 'runner-doctor-probe-junit.xml'})
  })

  test('serves in an incident: no needs on earlier stages, no clone, and the certificates read only after the wait', () => {
    const job = render({tags: ['k8s']})['runner-doctor-probe']
    expect(job.needs).toEqual([])
    expect(job.variables.GIT_STRATEGY).toBe('none')
    expect(Number(job.variables.RUNNER_DOCTOR_DIND_WAIT)).toBeGreaterThanOrEqual(60)
    const script = (job.script as string[]).join('\n')
    expect(script.indexOf('until [ -s "$DOCKER_CERT_PATH/ca.pem" ]')).toBeGreaterThan(-1)
    expect(script.indexOf('until [ -s "$DOCKER_CERT_PATH/ca.pem" ]')).toBeLessThan(script.indexOf('probe --local'))
    expect(script).toContain('--dind-wait "${RUNNER_DOCTOR_DIND_WAIT}s"')
  })

  test.each([
    [true, {DOCKER_TLS_CERTDIR: '/certs', DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client'}],
    [false, {DOCKER_TLS_CERTDIR: '', DOCKER_HOST: 'tcp://docker:2375'}],
  ])('tls %s selects the matching dind variables', (tls, variables) => {
    const pipeline = render({tags: ['k8s'], tls})
    const job = pipeline['runner-doctor-probe']
    expect(pipeline[job.extends]).toEqual({variables})
  })

  test('the runner to diagnose must be chosen: tags have no default', () => {
    expect(() => render({})).toThrow('`tags` input: required value has not been provided')
  })

  test('by default runs only in scheduled and manually started pipelines, and as a manual job in merge requests', () => {
    expect(render({tags: ['k8s']})['runner-doctor-probe'].rules).toEqual([
      {if: '$CI_PIPELINE_SOURCE == "schedule"'},
      {if: '$CI_PIPELINE_SOURCE == "web"'},
      {if: '$CI_PIPELINE_SOURCE == "merge_request_event"', when: 'manual', allow_failure: true},
    ])
  })
})

test('the schema check is not vacuous: a misspelt report type and a string allow_failure are rejected', () => {
  const broken = {
    'bad-job': {script: ['true'], allow_failure: 'true', artifacts: {reports: {codequalityy: 'x.json'}}},
  }
  const errors = schemaErrors(broken).join('\n')
  expect(errors).toContain('/bad-job/allow_failure')
  expect(errors).toContain('/bad-job/artifacts/reports must NOT have additional properties')
})

describe('docs/gitlab-ci.md', () => {
  const docs = readFileSync(join(repoRoot, 'docs/gitlab-ci.md'), 'utf8')
  const probeStart = docs.indexOf('## Probe from inside a job pod')
  const sections: Record<string, string> = {
    lint: docs.slice(0, probeStart),
    probe: docs.slice(probeStart, docs.indexOf('## Without the runner-doctor image')),
  }

  test.each(componentNames)('lists every %s input with its type and default', (name) => {
    const rows = new Map(
      [...sections[name].matchAll(/^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((row) => [
        row[1],
        {type: row[2].trim(), default: row[3].trim()},
      ]),
    )
    const specs = loadComponent(name).header.spec.inputs
    expect([...rows.keys()].sort()).toEqual(Object.keys(specs).sort())
    for (const [key, spec] of Object.entries(specs)) {
      const row = rows.get(key)!
      expect(row.type.startsWith(spec.type ?? 'string')).toBe(true)
      if (spec.default === undefined) expect(row.default).toBe('required')
      else if (spec.default === '') expect(row.default).toBe('`""`')
      else if (!Array.isArray(spec.default)) expect(row.default).toBe(`\`${String(spec.default)}\``)
    }
  })

  test('the first example is a four-line include of the released version', () => {
    const snippet = /## Lint in four lines[\s\S]*?```yaml\n([\s\S]*?)```/.exec(docs)![1]
    expect(snippet.trim().split('\n')).toHaveLength(4)
    expect(snippet).toContain(`/lint@${packageVersion}`)
    const included = snippet.match(/inputs:\n\s+(\w+):/)![1]
    expect(Object.keys(loadComponent('lint').header.spec.inputs)).toContain(included)
  })
})
