// Test support for the GitLab CI/CD components in templates/: reading a component, interpolating its
// inputs the way GitLab does, validating against GitLab's CI schema, and running gitlab-ci-local.
import {execFile} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Ajv, type ValidateFunction} from 'ajv'
import {parseAllDocuments} from 'yaml'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const fixturesDir = join(repoRoot, 'test/fixtures/ci-component')

export type InputType = 'string' | 'number' | 'boolean' | 'array'
export type InputValue = string | number | boolean | unknown[]

export interface InputSpec {
  type?: InputType
  default?: InputValue | null
  description?: string
  options?: (string | number)[]
  regex?: string
}

export interface Component {
  name: string
  path: string
  header: {spec: {inputs: Record<string, InputSpec>}}
  body: Record<string, unknown>
}

/** Reads templates/<name>.yml: the `spec` header document and the job document after `---`. */
export function loadComponent(name: string): Component {
  const path = join(repoRoot, 'templates', `${name}.yml`)
  const docs = parseAllDocuments(readFileSync(path, 'utf8'))
  if (!Array.isArray(docs) || docs.length !== 2) {
    throw new Error(`${path} must hold exactly two YAML documents (spec header, ---, jobs).`)
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`)
  }
  return {
    name,
    path,
    header: docs[0].toJS() as Component['header'],
    body: docs[1].toJS() as Record<string, unknown>,
  }
}

/**
 * Checks given values against the spec the way GitLab does when it creates a pipeline: unknown names,
 * missing required inputs, type, options and regex. Returns the full set of values, defaults filled in.
 */
export function resolveInputs(component: Component, given: Record<string, InputValue> = {}): Record<string, InputValue> {
  const specs = component.header.spec.inputs
  const unknown = Object.keys(given).filter((key) => !(key in specs))
  if (unknown.length > 0) throw new Error(`unknown input arguments: [${unknown.join(', ')}]`)
  const values: Record<string, InputValue> = {}
  for (const [key, spec] of Object.entries(specs)) {
    const value = key in given ? given[key] : spec.default
    if (value === undefined || value === null) throw new Error(`\`${key}\` input: required value has not been provided`)
    const type = spec.type ?? 'string'
    const actual = Array.isArray(value) ? 'array' : typeof value
    if (actual !== type) throw new Error(`\`${key}\` input: provided value is not a ${type}`)
    if (spec.options && !spec.options.includes(value as string | number)) {
      throw new Error(`\`${key}\` input: \`${String(value)}\` cannot be used because it is not in the list of allowed options`)
    }
    if (spec.regex !== undefined && !new RegExp(spec.regex).test(String(value))) {
      throw new Error(`\`${key}\` input: provided value does not match required RegEx pattern`)
    }
    values[key] = value
  }
  return values
}

const wholeBlock = /^\$\[\[\s*inputs\.([\w-]+)\s*\]\]$/
const anyBlock = /\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g

function asText(value: InputValue): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value)
}

function interpolateString(text: string, values: Record<string, InputValue>): InputValue {
  const whole = wholeBlock.exec(text)
  if (whole) return lookup(whole[1], values)
  return text.replace(anyBlock, (_block, key: string) => asText(lookup(key, values)))
}

function lookup(key: string, values: Record<string, InputValue>): InputValue {
  if (!(key in values)) throw new Error(`unknown interpolation key: \`${key}\``)
  return values[key]
}

/**
 * GitLab's interpolation: a block that is the whole value keeps the input's type (so booleans and
 * arrays stay typed); a block inside a longer string is turned into text, arrays as JSON.
 */
export function interpolate(node: unknown, values: Record<string, InputValue>): unknown {
  if (typeof node === 'string') return interpolateString(node, values)
  if (Array.isArray(node)) return node.map((item) => interpolate(item, values))
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(node)) {
      out[asText(interpolateString(key, values))] = interpolate(child, values)
    }
    return out
  }
  return node
}

/** GitLab's own `.gitlab-ci.yml` JSON Schema (app/assets/javascripts/editor/schema/ci.json), compiled once. */
// ajv-formats is CommonJS: its plugin is the default export of the module object. The schema uses
// uri, uri-reference and regex formats; strict is off for its editor-only `markdownDescription`.
const {default: addFormats} = (await import('ajv-formats')) as unknown as {default: (ajv: Ajv) => Ajv}
const gitlabCiValidator: ValidateFunction = addFormats(new Ajv({strict: false, allErrors: true})).compile(
  JSON.parse(readFileSync(join(fixturesDir, 'gitlab-ci.json'), 'utf8')),
)

export function schemaErrors(document: unknown): string[] {
  if (gitlabCiValidator(document)) return []
  return (gitlabCiValidator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`)
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export function run(
  command: string,
  args: string[],
  options: {cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    execFile(
      command,
      args,
      {cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolvePromise({code, stdout: String(stdout), stderr: String(stderr)})
      },
    )
  })
}

const gitlabCiLocalEntry = join(repoRoot, 'node_modules/gitlab-ci-local/dist/index.js')

/**
 * Runs gitlab-ci-local with the Node running the tests (gitlab-ci-local needs Node 22 or newer). By
 * default inside a fresh network namespace that has only loopback, so any attempt to fetch something
 * fails the test; `sharedLoopback` keeps the host namespace for jobs that talk to servers the test
 * started on 127.0.0.0/8 (those jobs must pin every name they contact to loopback themselves).
 */
export function gitlabCiLocal(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: {sharedLoopback?: boolean} = {},
): Promise<RunResult> {
  const runEnv = {...env, NO_COLOR: '1', FORCE_COLOR: '0'}
  if (options.sharedLoopback) return run(process.execPath, [gitlabCiLocalEntry, ...args], {cwd, env: runEnv, timeoutMs: 180_000})
  const script = 'ip link set lo up && exec "$@"'
  return run('unshare', ['--net', '--', 'sh', '-c', script, 'sh', process.execPath, gitlabCiLocalEntry, ...args], {
    cwd,
    env: runEnv,
    timeoutMs: 180_000,
  })
}

/**
 * A consumer project as GitLab would check it out: a git repository holding this project's
 * templates/ (so `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA` resolves to the
 * working copy, offline), the given files, and one commit.
 */
export async function makeConsumerRepo(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rd-ci-component-'))
  cpSync(join(repoRoot, 'templates'), join(dir, 'templates'), {recursive: true})
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name)
    mkdirSync(dirname(target), {recursive: true})
    writeFileSync(target, content)
  }
  const git = async (...args: string[]) => {
    const result = await run('git', args, {cwd: dir})
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`)
  }
  await git('init', '-q', '-b', 'main')
  await git('add', '-A')
  await git('-c', 'user.email=ci@runner-doctor.invalid', '-c', 'user.name=runner-doctor tests', 'commit', '-q', '-m', 'consumer pipeline')
  return dir
}

/**
 * The job result gitlab-ci-local prints: `PASS`, or the status with the job's exit code, such as
 * `WARN 3` or `FAIL 1` (from ` WARN  <job>  pre_script` in the summary and `<job> finished in N ms  FAIL 1`).
 */
export function jobOutcome(output: string, job: string): string | undefined {
  const name = job.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const status = new RegExp(`^\\s*(PASS|WARN|FAIL)\\s+${name}(\\s.*)?$`, 'm').exec(output)?.[1]
  if (status === undefined || status === 'PASS') return status
  const code = new RegExp(`^${name}\\s+finished in .*\\s${status} (\\d+)\\s*$`, 'm').exec(output)?.[1]
  return code === undefined ? status : `${status} ${code}`
}

/**
 * A directory with a `runner-doctor` command that runs this checkout's CLI, and an environment with it
 * first on PATH: the job then finds the CLI where the project's image puts it. Fails when the CLI is
 * not built.
 */
export function checkedOutCli(dir: string): NodeJS.ProcessEnv {
  if (!existsSync(join(repoRoot, 'dist/commands'))) {
    throw new Error('dist/commands is missing; build first with `npx tsc -p tsconfig.build.json`.')
  }
  const shim = join(dir, 'runner-doctor')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin/run.cjs')}" "$@"\n`)
  chmodSync(shim, 0o755)
  return {...process.env, PATH: `${dir}:${process.env.PATH}`}
}
