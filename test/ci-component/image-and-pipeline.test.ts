// The Dockerfile cannot be built here (no container engine with images), so these tests check what
// a build depends on: the files it copies, a build from exactly the context .dockerignore lets through,
// and that the packed package the image installs holds a working CLI. The project's own pipeline is
// checked against GitLab's schema and listed offline by gitlab-ci-local for branch and tag pipelines.
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import {gitlabCiLocal, jobOutcome, makeConsumerRepo, repoRoot, run, schemaErrors} from './component.js'

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
const RUNTIME_FROM = 'FROM ${NODE_IMAGE}@${NODE_DIGEST}'

/** Instructions with their continuation lines joined, comments dropped. */
function instructions(): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/**
 * The context Docker sends for this project's .dockerignore, which is an allow-list: `*` first, then
 * `!path` entries. Any other pattern form is refused so the check cannot silently misread the file.
 */
function dockerContext(): string[] {
  const patterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  if (patterns[0] !== '*') throw new Error('.dockerignore must start with `*` (an allow-list).')
  const allowed = patterns.slice(1).map((pattern) => {
    if (!/^![\w.-]+(\/[\w.-]+)*\/?$/.test(pattern)) throw new Error(`Unsupported .dockerignore pattern: ${pattern}`)
    return pattern.slice(1).replace(/\/$/, '')
  })
  return allowed.filter((entry) => existsSync(join(repoRoot, entry)))
}

test('the image is built on and runs the pinned Node 24 on Alpine, as the unprivileged node user, without an entrypoint', () => {
  const base = /^ARG NODE_IMAGE=(.+)$/m.exec(dockerfile)![1]!
  // An exact tag: the Node version of the pinned devDependency and an Alpine release, never a moving tag.
  expect(base).toBe(`node:${packageJson.devDependencies.node}-alpine3.22`)
  // And the digest of that tag's index, so a rebuilt tag cannot change what a version's image is built on.
  expect(/^ARG NODE_DIGEST=(.+)$/m.exec(dockerfile)![1]).toMatch(/^sha256:[0-9a-f]{64}$/)
  const from = instructions().filter((line) => line.startsWith('FROM '))
  expect(from).toEqual(['FROM --platform=$BUILDPLATFORM ${NODE_IMAGE}@${NODE_DIGEST} AS build', RUNTIME_FROM])
  const runtime = instructions().slice(instructions().lastIndexOf(RUNTIME_FROM))
  expect(runtime).toContain('USER node')
  expect(runtime).toContain('ENTRYPOINT []')
  expect(runtime.join('\n')).toContain('ln -s /opt/runner-doctor/bin/run.cjs /usr/local/bin/runner-doctor')
})

test('dependencies are downloaded once: the build stage cuts its install to production from the cache, the image copies it', () => {
  const installs = instructions().filter((line) => /\bnpm (ci|install)\b/.test(line))
  expect(installs).toHaveLength(2)
  expect(installs[0]).toMatch(/^RUN npm ci /)
  expect(installs[1]).toContain('npm install --offline --omit=dev ')
  const runtime = instructions().slice(instructions().lastIndexOf(RUNTIME_FROM))
  expect(runtime.join('\n')).not.toMatch(/npm (ci|install|prune)/)
})

test(
  'the image keeps the optional Kubernetes client, so its probe reaches clusters (the build ' + 'stage redone by bench/image-size.mjs)',
  () => {
    // The lockfile marks the client dev (it is a devDependency too): `npm prune --omit=dev` removed it from the image.
    expect(dockerfile).toContain('npm pkg delete devDependencies.@kubernetes/client-node')
    const bench = spawnSync(process.execPath, [join(repoRoot, 'bench/image-size.mjs')], {encoding: 'utf8', timeout: 240_000})
    expect(bench.stderr).toBe('')
    expect(bench.status).toBe(0)
    expect(bench.stdout).toMatch(/of which @kubernetes\/client-node \d+\.\d MB/)
  },
  240_000,
)

test('every argument the runtime stage uses is declared in it (one declared before FROM is empty there)', () => {
  const runtime = instructions().slice(instructions().lastIndexOf(RUNTIME_FROM) + 1)
  const declared = new Set(runtime.filter((line) => line.startsWith('ARG ')).map((line) => line.slice(4).split('=')[0]))
  const used = new Set(
    [
      ...runtime
        .filter((line) => !line.startsWith('ARG '))
        .join('\n')
        .matchAll(/\$\{(\w+)\}/g),
    ].map((match) => match[1]),
  )
  expect([...used].filter((name) => !declared.has(name!))).toEqual([])
  expect(used).toEqual(new Set(['NODE_IMAGE', 'NODE_DIGEST', 'VERSION', 'REVISION', 'SOURCE']))
})

test('the image carries the OCI labels, with version, revision and source passed in by the pipeline', () => {
  const labels = Object.fromEntries(
    [...dockerfile.matchAll(/(org\.opencontainers\.image\.[a-z.]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]),
  )
  expect(Object.keys(labels).sort()).toEqual(
    ['base.digest', 'base.name', 'description', 'licenses', 'revision', 'source', 'title', 'version'].map(
      (key) => `org.opencontainers.image.${key}`,
    ),
  )
  expect(labels['org.opencontainers.image.licenses']).toBe(packageJson.license)
  const pipelineText = readFileSync(join(repoRoot, '.gitlab-ci.yml'), 'utf8')
  for (const arg of ['VERSION', 'REVISION="$CI_COMMIT_SHA"', 'SOURCE="$CI_PROJECT_URL"']) expect(pipelineText).toContain(`build-arg:${arg}`)
})

test('every file the Dockerfile copies from the context exists and is let through by .dockerignore', () => {
  const context = dockerContext()
  const copies = instructions()
    .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
    .flatMap((line) => line.split(/\s+/).slice(1, -1))
  expect(copies).toEqual(['package.json', 'package-lock.json', '.'])
  for (const source of copies.filter((item) => item !== '.')) {
    expect(existsSync(join(repoRoot, source))).toBe(true)
    expect(context).toContain(source)
  }
  expect(context).toEqual(
    expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'templates']),
  )
  expect(context).not.toContain('node_modules')
  expect(context).not.toContain('test')
  // The image installs the packed package, so everything package.json publishes must reach the build.
  for (const published of packageJson.files as string[]) {
    if (['dist'].includes(published) || !existsSync(join(repoRoot, published))) continue
    expect({published, inContext: context.some((entry) => published === entry || published.startsWith(`${entry}/`))}).toEqual({
      published,
      inContext: true,
    })
  }
})

describe('a build from the Docker context alone', () => {
  let contextDir: string
  let packedFiles: string[]

  beforeAll(async () => {
    contextDir = mkdtempSync(join(tmpdir(), 'rd-docker-context-'))
    for (const entry of dockerContext()) cpSync(join(repoRoot, entry), join(contextDir, entry), {recursive: true})
    // Stands in for the build stage's `npm ci`, which needs the registry.
    symlinkSync(join(repoRoot, 'node_modules'), join(contextDir, 'node_modules'))
    const build = await run('npm', ['run', 'build'], {cwd: contextDir, timeoutMs: 300_000})
    if (build.code !== 0) throw new Error(`npm run build failed in the Docker context:\n${build.stdout}\n${build.stderr}`)
    const pack = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: contextDir})
    if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`)
    packedFiles = (JSON.parse(pack.stdout)[0].files as {path: string}[]).map((file) => file.path)
  }, 320_000)

  afterAll(() => {
    if (contextDir) rmSync(contextDir, {recursive: true, force: true})
  })

  test('builds, and the package holds the CLI entry, its commands, the rules and the components', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/run.cjs',
        'templates/lint.yml',
        'templates/probe.yml',
        'examples/gitlab-runner-values.yaml',
      ]),
    )
    // A code cache is only valid beside the exact bundle file it was taken from, so none is published.
    expect(packedFiles.filter((file) => file.endsWith('.cache'))).toEqual([])
    const commands = packedFiles.filter((file) => file.startsWith('dist/commands/') && file.endsWith('.js'))
    expect(commands.length).toBeGreaterThan(0)
    expect(packedFiles.some((file) => file.startsWith('dist/') && file.includes('test'))).toBe(false)
    if (existsSync(join(repoRoot, 'rules'))) {
      const ruleFiles = readdirSync(join(repoRoot, 'rules')).map((file) => `rules/${file}`)
      expect(packedFiles).toEqual(expect.arrayContaining(ruleFiles))
    }
  })

  test('the packed files alone run the CLI, as the image’s /usr/local/bin/runner-doctor does', async () => {
    const installDir = mkdtempSync(join(tmpdir(), 'rd-image-root-'))
    try {
      for (const file of packedFiles) cpSync(join(contextDir, file), join(installDir, file), {recursive: true})
      symlinkSync(join(repoRoot, 'node_modules'), join(installDir, 'node_modules'))
      const version = await run(process.execPath, [join(installDir, 'bin/run.cjs'), '--version'], {cwd: installDir})
      expect(version.code).toBe(0)
      expect(version.stdout).toContain(`runner-doctor/${packageJson.version}`)
      const help = await run(process.execPath, [join(installDir, 'bin/run.cjs'), 'lint', '--help'], {cwd: installDir})
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('--fail-on')
      // The image's warm-up lint, as root: packing reset the file times, so it writes the code cache the
      // unprivileged user then reads; the findings are the same with it.
      const bundleDir = join(installDir, 'dist', 'lint-bundle')
      expect(readdirSync(bundleDir).filter((file) => file.endsWith('.cache'))).toEqual([])
      const lintArgs = [join(installDir, 'bin/run.cjs'), 'lint', 'examples', '--fail-on', 'none', '--format', 'json']
      const first = await run(process.execPath, lintArgs, {cwd: installDir})
      expect(first.code).toBe(0)
      expect(readdirSync(bundleDir).filter((file) => file.endsWith('.cache'))).toHaveLength(1)
      const second = await run(process.execPath, lintArgs, {cwd: installDir})
      expect(JSON.parse(second.stdout).files).toEqual(JSON.parse(first.stdout).files)
      expect(JSON.parse(first.stdout).summary.warnings).toBeGreaterThan(0)
    } finally {
      rmSync(installDir, {recursive: true, force: true})
    }
  })
})

describe('the project’s own .gitlab-ci.yml', () => {
  const pipeline = parse(readFileSync(join(repoRoot, '.gitlab-ci.yml'), 'utf8'))

  test('validates against GitLab’s CI schema', () => {
    expect(schemaErrors(pipeline)).toEqual([])
  })

  test('package.json says where the project lives and its license, and LICENSE holds that license', () => {
    for (const key of ['homepage', 'repository', 'bugs']) expect(packageJson).toHaveProperty(key)
    expect(packageJson.repository.type).toBe('git')
    expect(packageJson.license).toBe('MIT')
    expect(readFileSync(join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/)
  })

  test('uses both components at the pipeline’s own commit, in the image built from that commit', () => {
    const components = pipeline.include.map((item: {component: string}) => item.component)
    expect(components).toEqual([
      '$CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA',
      '$CI_SERVER_FQDN/$CI_PROJECT_PATH/probe@$CI_COMMIT_SHA',
    ])
    for (const item of pipeline.include) expect(item.inputs.image).toBe('$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA')
    expect(pipeline.stages.indexOf('build')).toBeLessThan(pipeline.stages.indexOf('verify'))
  })

  test('releases with the release keyword, on semantic-version tags only', () => {
    const release = pipeline.release
    expect(release.release.tag_name).toBe('$CI_COMMIT_TAG')
    for (const job of ['release', 'release-check', 'publish-npm']) expect(pipeline[job].extends).toBe('.release-tag')
    const tagPattern = /\/(.*)\/$/.exec(pipeline['.release-tag'].rules[0].if.split('=~')[1].trim())![1]
    for (const tag of ['1.0.0', '0.1.0', '1.2.3-rc.1']) expect(tag).toMatch(new RegExp(tagPattern))
    for (const tag of ['v1.0.0', '1.0', 'latest']) expect(tag).not.toMatch(new RegExp(tagPattern))
  })

  test.each([
    ['a branch pipeline', [], ['test', 'test-lowest-node', 'build-image', 'component-lint-examples']],
    [
      'a tag pipeline',
      ['--variable', 'CI_COMMIT_TAG=0.1.0'],
      ['test', 'test-lowest-node', 'build-image', 'component-lint-examples', 'release-check', 'publish-npm', 'release'],
    ],
    [
      'a scheduled pipeline',
      ['--variable', 'CI_PIPELINE_SOURCE=schedule'],
      ['test', 'test-lowest-node', 'build-image', 'component-lint-examples', 'component-probe'],
    ],
  ])('gitlab-ci-local resolves the components offline and lists the jobs of %s', async (_label, args, jobs) => {
    const files: Record<string, string> = {'.gitlab-ci.yml': readFileSync(join(repoRoot, '.gitlab-ci.yml'), 'utf8')}
    const dir = await makeConsumerRepo(files)
    try {
      const result = await gitlabCiLocal(dir, ['--list-json', ...args])
      expect(result.stderr).not.toContain('could not be fetched')
      expect(result.code).toBe(0)
      // gitlab-ci-local may print warnings before the JSON, which starts on a line of its own.
      const listed = JSON.parse(result.stdout.slice(result.stdout.search(/^\[$/m)))
      const active = listed.filter((job: {when: string}) => job.when !== 'never').map((job: {name: string}) => job.name)
      expect(active.sort()).toEqual([...jobs].sort())
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

test('engines is what CI tests: a job runs the suite on the lowest Node engines allows', () => {
  const pipeline = parse(readFileSync(join(repoRoot, '.gitlab-ci.yml'), 'utf8'))
  const floor = /^>=(\d+\.\d+)$/.exec(packageJson.engines.node)![1]
  expect(pipeline['test-lowest-node'].image).toBe(`node:${floor}-bookworm`)
  expect(pipeline['test-lowest-node'].script.join('\n')).toContain('rm -f node_modules/.bin/node')
  expect(pipeline.test.image).toMatch(/^node:24-/)
})

/**
 * The release jobs, run by gitlab-ci-local offline with RELEASE_DRY_RUN=true in a copy of what the tag's checkout
 * holds (the published files, built). What only GitLab can show: the ID-token exchange with npm, the provenance
 * signature, the registry push, the arm64 half of the build (QEMU on the runner) and the catalog release itself.
 */
describe('release jobs, dry run offline', () => {
  let dir: string
  const projectUrl = 'https://gitlab.example.com/platform/runner-doctor'
  const registryImage = 'registry.example.com/platform/runner-doctor'
  const tagVariables = [
    '--variable',
    `CI_COMMIT_TAG=${packageJson.version}`,
    '--variable',
    'RELEASE_DRY_RUN=true',
    '--variable',
    `CI_PROJECT_URL=${projectUrl}`,
    '--variable',
    `CI_REGISTRY_IMAGE=${registryImage}`,
  ]

  beforeAll(async () => {
    const pack = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: repoRoot})
    const published = (JSON.parse(pack.stdout)[0].files as {path: string}[])
      .map((file) => file.path)
      .filter((path) => !path.startsWith('templates/'))
    const files: Record<string, string> = {}
    for (const path of [...published, '.gitlab-ci.yml', 'package-lock.json']) files[path] = readFileSync(join(repoRoot, path), 'utf8')
    dir = await makeConsumerRepo(files)
  }, 120_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  // npm would retry the registry it cannot reach (there is no network here) for a minute; once is enough.
  const runJob = (job: string, variables: string[]) =>
    gitlabCiLocal(dir, ['--force-shell-executor', '--variable', 'npm_config_fetch_retries=0', ...variables, job])

  test('release-check passes when the tag is the package version, and fails otherwise', async () => {
    const good = await runJob('release-check', tagVariables)
    expect(good.stdout + good.stderr).toContain(`Tag, package.json and components agree on ${packageJson.version}.`)
    expect(jobOutcome(good.stdout, 'release-check')).toBe('PASS')
    const bad = await runJob(
      'release-check',
      tagVariables.map((value) => (value.startsWith('CI_COMMIT_TAG=') ? 'CI_COMMIT_TAG=9.9.9' : value)),
    )
    expect(bad.stdout + bad.stderr).toContain(`Tag 9.9.9 does not match the version ${packageJson.version} in package.json.`)
    expect(jobOutcome(bad.stdout + bad.stderr, 'release-check')).toMatch(/^FAIL/)
  }, 120_000)

  test('publish-npm packs the package with the metadata of the project it runs in, and uploads nothing', async () => {
    const result = await runJob('publish-npm', tagVariables)
    const output = result.stdout + result.stderr
    expect(jobOutcome(output, 'publish-npm')).toBe('PASS')
    expect(output).toContain('Dry run: this checkout')
    expect(output).toContain(`+ runner-doctor@${packageJson.version}`)
    expect(output).toContain('(dry-run)')
    const published = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(published.homepage).toBe(projectUrl)
    expect(published.repository).toEqual({type: 'git', url: `git+${projectUrl}.git`})
    expect(published.bugs).toEqual({url: `${projectUrl}/-/issues`})
  }, 180_000)

  test('the release job runs (gitlab-ci-local ignores the release keyword, which the schema test covers)', async () => {
    const result = await runJob('release', tagVariables)
    expect(result.stdout + result.stderr).toContain(
      `Creating release ${packageJson.version} of the runner-doctor components (lint, probe).`,
    )
    expect(jobOutcome(result.stdout + result.stderr, 'release')).toBe('PASS')
  }, 120_000)

  test('build-image builds amd64 and arm64 for $CI_REGISTRY_IMAGE with the tag, and pushes nothing in a dry run', async () => {
    const result = await runJob('build-image', tagVariables)
    const output = result.stdout + result.stderr
    expect(jobOutcome(output, 'build-image')).toBe('PASS')
    expect(output).toContain('--opt platform=linux/amd64,linux/arm64')
    expect(output).toContain(`name=${registryImage}:`)
    // gitlab-ci-local also sets CI_COMMIT_BRANCH from the checkout, so `latest` may follow the version tag here.
    expect(output).toMatch(
      new RegExp(`name=${registryImage}:[0-9a-f]{40},${registryImage}:${packageJson.version}(,${registryImage}:latest)?,push=false`),
    )
    expect(output).toContain(`build-arg:SOURCE=${projectUrl}`)
  }, 120_000)
})
