import {spawn} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {FORMAT_NAMES, formatters} from '../../../src/formatters/index.js'
import {docsUrl, loadRules, type Rule} from '../../../src/lint/rule.js'
import {DEFAULT_MAX_FILE_BYTES, lint, type LintOptions} from '../../../src/lint/run.js'
import type {FormatContext, LintResult} from '../../../src/lint/types.js'
import {REPO_ROOT} from './seeds.js'
import {SECRET_MARK} from './secrets.js'

/** One input to lint: bytes written to a file with this name, or fed on stdin. */
export interface LintInput {
  name: string
  bytes: Buffer
  viaStdin?: boolean
}

/** A slow pathological input (quadratic parser, exponential alias expansion) trips this long before a CI job times out. */
export const CASE_TIME_LIMIT_MS = 5_000

let rules: Rule[] | undefined
let workDir: string | undefined

export async function lintRules(): Promise<Rule[]> {
  rules ??= await loadRules()
  return rules
}

/** A directory outside the repository, so no `.runner-doctor.yaml` of the project applies to generated inputs. */
export function scratchDir(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'runner-doctor-trust-'))
  return workDir
}

export async function formatContext(cwd: string): Promise<FormatContext> {
  return {
    cwd,
    color: false,
    verbose: true,
    toolVersion: '0.0.0-test',
    rules: (await lintRules()).map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      category: r.category,
      rationale: r.rationale,
      remediation: r.remediation,
      docsUrl: docsUrl(r.id),
    })),
  }
}

/** Runs lint in this process over the inputs, as the CLI would with default flags. */
export async function lintInProcess(
  inputs: LintInput[],
  overrides: Partial<LintOptions> = {},
): Promise<{result: LintResult; elapsedMs: number}> {
  const dir = scratchDir()
  const stdin = inputs.find((i) => i.viaStdin)
  const paths = inputs.map((input, n) => {
    if (input.viaStdin) return '-'
    const path = join(dir, `${n}-${input.name.replace(/[^\w.-]/g, '_')}`)
    writeFileSync(path, input.bytes)
    return path
  })
  const started = performance.now()
  const result = await lint({
    paths,
    cwd: dir,
    failOn: 'error',
    inlineConfig: true,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    maxFiles: 10_000,
    readStdin: async () => (stdin ? stdin.bytes.toString('utf8') : ''),
    rules: await lintRules(),
    ...overrides,
  })
  return {result, elapsedMs: performance.now() - started}
}

/** What must hold for any input at all; returns each broken promise as a sentence (empty when all hold). */
export async function invariantViolations(
  result: LintResult,
  expectedFiles: number,
  options: {allowInternalError?: boolean} = {},
): Promise<string[]> {
  const problems: string[] = []
  const {summary} = result
  if (![0, 1, 2].includes(summary.exitCode)) problems.push(`exit code ${summary.exitCode} is not 0, 1 or 2`)
  if (result.files.length !== expectedFiles) problems.push(`${result.files.length} file results for ${expectedFiles} inputs`)
  if (result.files.some((f) => f.error) && summary.exitCode !== 2) problems.push('a file could not be read but the exit code is not 2')
  for (const file of result.files) {
    if (file.error) {
      const {message, line, column} = file.error
      if (!message || /\n/.test(message)) problems.push(`${file.path}: error message is empty or spans lines: ${JSON.stringify(message)}`)
      if (!Number.isInteger(line) || !Number.isInteger(column) || line < 1 || column < 1)
        problems.push(`${file.path}: error position ${line}:${column} is not 1-based`)
      if (/\n\s+at /.test(message) || /\bat .*\.(js|ts):\d+/.test(message))
        problems.push(`${file.path}: error message carries a stack trace`)
      // lint turns a rule that throws into a file error so other files are still checked; for the fuzzer it is a bug.
      if (message.startsWith('Internal error') && !options.allowInternalError) problems.push(`${file.path}: a rule threw: ${message}`)
    }
    for (const f of file.findings) {
      const positions = [f.line, f.column, f.endLine, f.endColumn]
      if (positions.some((n) => !Number.isInteger(n) || n < 1))
        problems.push(`${file.path}: ${f.ruleId} at ${positions.join(':')} is not 1-based`)
      if (f.endLine < f.line) problems.push(`${file.path}: ${f.ruleId} ends (line ${f.endLine}) before it starts (line ${f.line})`)
    }
  }
  if (JSON.stringify(result).includes(SECRET_MARK)) problems.push('the lint result holds the planted secret')
  const ctx = await formatContext(scratchDir())
  for (const name of FORMAT_NAMES) {
    let out: string
    try {
      out = formatters[name](result, ctx)
    } catch (error) {
      problems.push(`formatter ${name} threw: ${(error as Error).message}`)
      continue
    }
    if (out.includes(SECRET_MARK)) problems.push(`formatter ${name} printed the planted secret`)
    if (name === 'json' || name === 'codeclimate' || name === 'sarif') {
      try {
        JSON.parse(out)
      } catch (error) {
        problems.push(`formatter ${name} wrote text that is not JSON: ${(error as Error).message}`)
      }
    }
  }
  return problems
}

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  elapsedMs: number
}

export const CLI = join(REPO_ROOT, 'bin', 'run.cjs')

/** Runs the built CLI as a child process on the pinned Node; a run past the deadline is killed and reported as such. */
export function runCli(
  args: string[],
  options: {stdin?: Buffer | string; cwd?: string; nodeArgs?: string[]; timeoutMs?: number; env?: NodeJS.ProcessEnv} = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
      cwd: options.cwd ?? scratchDir(),
      env: {...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        elapsedMs: performance.now() - started,
      })
    })
    child.stdin.on('error', () => {})
    child.stdin.end(options.stdin ?? '')
  })
}
