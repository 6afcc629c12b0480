import {existsSync, readFileSync, writeFileSync} from 'node:fs'

import {DEFAULT_FORMAT, type FormatName, formatters} from '../../formatters/index.js'
import type {JunitContext} from '../../formatters/junit.js'
import type {RuleSummary} from '../../lint/types.js'
import type {StylishContext} from '../../formatters/stylish.js'
import {parseQuantity} from '../../model/quantity.js'
import type {LintFlags} from './flags.js'
import {processStdout, type ReportOutput} from './report-output.js'
import {emptyRunMessage, onlyErrors, tooManyWarnings} from './result-views.js'
import {unpairedOutputFiles} from '../../util/report-outputs.js'
import {outputWidth, wantsColour} from '../../util/terminal.js'
import {ConfigError} from '../../lint/config.js'
import {docsUrl, loadRules, RuleLoadError} from '../../lint/rule.js'
import {lint, UsageError} from '../../lint/run.js'

/** A failure that is not a finding: printed as one line, exit code 2. */
export class LintCliError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

export interface LintIo {
  stdout: ReportOutput
  stderr: NodeJS.WritableStream
  stdin: NodeJS.ReadableStream
  cwd: string
  env: NodeJS.ProcessEnv
}

/**
 * The process's own streams, directory and environment: what both lint entries (oclif and the fast path) run with.
 * stderr and stdin are made when first used: each of Node's stdio streams costs start-up time, and most runs
 * read no stdin and write nothing to stderr.
 */
export function processIo(): LintIo {
  return {
    stdout: processStdout((stream) => toleratePipeClosing(stream, () => process.stderr)),
    get stderr() {
      return process.stderr
    },
    get stdin() {
      return process.stdin
    },
    cwd: process.cwd(),
    env: process.env,
  }
}

/**
 * The package's own version. This module runs both from dist/commands/lint/ and bundled into dist/lint-bundle/,
 * so the package root is searched upward rather than assumed at a fixed depth.
 */
export function toolVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('package.json', dir)
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as {name?: string; version: string}
      if (pkg.name === 'runner-doctor') return pkg.version
    }
    if (dir.pathname === '/') throw new Error('package.json of runner-doctor not found above the CLI.')
  }
}

function quantityFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const value = parseQuantity(raw)
  if (value === undefined || value < 0)
    throw new LintCliError(`--${name} "${raw}" is not a Kubernetes quantity such as 64, 500m or 256Gi.`, 'RD_USAGE')
  return value
}

/** Reads a stream up to `limit` bytes: lint then refuses it as too large instead of filling memory (`/dev/zero`). */
async function readBounded(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    chunks.push(buffer)
    size += buffer.length
    if (size >= limit) break
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

/**
 * A reader that stops early (`| head`, a job log cut off) closes the pipe; the report then goes nowhere, which is no
 * reason to crash with a stack trace. The exit code still says what lint found.
 */
function toleratePipeClosing(stream: NodeJS.WritableStream, stderr: () => NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return
    stderr().write(`runner-doctor: cannot write the report: ${error.message}\n`)
    process.exitCode = 2
  })
}

/** Opens the cluster for --cluster; the reader (and the Kubernetes client library) is loaded only then. */
async function openClusterFor(flags: LintFlags) {
  const {openCluster, ClusterUnavailableError} = await import('../../cluster/read-facts.js')
  try {
    return await openCluster({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace})
  } catch (error) {
    if (error instanceof ClusterUnavailableError) throw new LintCliError(`--cluster: ${error.message}`, 'RD_CLUSTER_UNAVAILABLE')
    throw error
  }
}

/** Runs lint with parsed flags and writes every requested format; returns the exit code. */
export async function executeLint(flags: LintFlags, argPaths: string[], io: LintIo): Promise<0 | 1 | 2> {
  const paths = argPaths.length > 0 ? argPaths : ['.']
  const formats: FormatName[] = flags.format && flags.format.length > 0 ? flags.format : [DEFAULT_FORMAT]
  const outputs = flags['output-file'] ?? []
  const unpaired = unpairedOutputFiles(formats, outputs)
  if (unpaired) throw new LintCliError(unpaired, 'RD_USAGE')
  const rules = await loadRules().catch((error: unknown) => {
    if (error instanceof RuleLoadError) throw new LintCliError(error.message, 'RD_RULE_INVALID')
    throw error
  })
  // Both argument parsers fill in the flag's default, so it is always set.
  const maxFileBytes = quantityFlag('max-file-size', flags['max-file-size'])!
  const cluster = flags.cluster ? await openClusterFor(flags) : undefined
  if (!flags.cluster) {
    const clusterOnly = (['kubeconfig', 'context', 'namespace'] as const).find((name) => flags[name] !== undefined)
    if (clusterOnly) throw new LintCliError(`--${clusterOnly} is for --cluster; add --cluster to read the cluster.`, 'RD_USAGE')
  }
  let result
  try {
    result = await lint({
      paths,
      cwd: io.cwd,
      failOn: flags['fail-on'],
      chartVersion: flags['chart-version'],
      runnerVersion: flags['runner-version'],
      configPath: flags.config,
      capacityCpu: quantityFlag('capacity-cpu', flags['capacity-cpu']),
      capacityMemory: quantityFlag('capacity-memory', flags['capacity-memory']),
      servicesPerJob: flags['services-per-job'],
      inlineConfig: flags['inline-config'],
      maxFileBytes,
      maxFiles: flags['max-files'],
      readStdin: () => readBounded(io.stdin, maxFileBytes + 1),
      rules,
      cluster: cluster?.source,
    })
  } catch (error) {
    if (error instanceof ConfigError)
      throw new LintCliError(`${error.file}:${error.line}:${error.column}: ${error.message}`, 'RD_CONFIG_INVALID')
    if (error instanceof UsageError) throw new LintCliError(error.message, 'RD_USAGE')
    throw error
  }
  if (cluster && flags.verbose) {
    const {calls, elapsedMs, server} = cluster.stats()
    io.stderr.write(`runner-doctor: --cluster made ${calls} API calls to ${server} in ${elapsedMs} ms (read-only).\n`)
  }
  // A run with nothing to check still writes its machine-readable reports (a pipeline's artifacts must parse), then
  // exits 2 with the message; only the stylish report, which the message replaces, is left out.
  const empty = flags['allow-empty'] ? undefined : emptyRunMessage(result, paths)
  if (empty) result = {...result, summary: {...result.summary, exitCode: 2 as const}}
  if (flags.quiet) result = onlyErrors(result, flags['fail-on'])
  const terminal = {env: io.env, isTTY: Boolean(io.stdout.isTTY), columns: io.stdout.columns}
  // The version and the rule summaries are read when a format asks for them (SARIF, JUnit, Code Climate), not for
  // every stylish report: finding the package.json costs a lint more than formatting its report.
  let version: string | undefined
  let summaries: RuleSummary[] | undefined
  const contextFor = (file: string | undefined): JunitContext & StylishContext => ({
    failOn: flags['fail-on'],
    width: file ? undefined : outputWidth(terminal),
    cwd: io.cwd,
    color: file ? false : wantsColour(flags.color, terminal),
    verbose: flags.verbose,
    get toolVersion() {
      return (version ??= toolVersion())
    },
    get rules() {
      return (summaries ??= rules.map((r) => ({
        id: r.id,
        title: r.title,
        severity: r.severity,
        category: r.category,
        rationale: r.rationale,
        remediation: r.remediation,
        docsUrl: docsUrl(r.id),
      })))
    },
  })
  let stylishOnStdout = false
  for (const [i, format] of formats.entries()) {
    const file = outputs[i]
    if (empty && !file && format === 'stylish') continue
    const rendered = formatters[format](result, contextFor(file))
    if (file) writeFileSync(file, rendered)
    else {
      io.stdout.write(rendered)
      stylishOnStdout ||= format === 'stylish'
    }
  }
  if (empty) throw new LintCliError(empty, 'RD_NOTHING_TO_LINT')
  // Machine formats on stdout still leave a readable line per unreadable file on stderr.
  if (!stylishOnStdout) {
    for (const f of result.files) if (f.error) io.stderr.write(`${f.path}:${f.error.line}:${f.error.column}: ${f.error.message}\n`)
  }
  const warningsOverLimit = tooManyWarnings(result, flags['max-warnings'])
  if (warningsOverLimit) {
    io.stderr.write(`${warningsOverLimit}\n`)
    return 1
  }
  return result.summary.exitCode
}
