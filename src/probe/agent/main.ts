/**
 * The self-contained check program. Bundled into dist/probe/agent.bundle.cjs and run inside pods as
 * `node agent.bundle.cjs '<json options>'`. Progress goes to stderr; the last stdout line is
 * `RUNNER_DOCTOR_REPORT <json ProbeReport>`; the exit code is the report's (0 pass, 1 a check failed, 2 could not run).
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {buildReport, couldNotRunReport, REPORT_LINE_PREFIX} from '../report/summary.js'
import type {ProbeReport} from '../types.js'
import {AgentOptionsError, resolveAgentOptions, validateAgentOptions} from './options.js'
import {runAllChecks} from './run-checks.js'

/** Inside a pod dind starts alongside the probe, so waiting for it is the normal case. */
const POD_DIND_WAIT_MS = 60_000

/**
 * The options are the first argument that looks like a JSON object: its position differs between
 * `node agent.bundle.cjs JSON`, `node -e SOURCE NAME JSON` and `node - JSON`.
 */
function readOptions(argv: string[], env: Record<string, string | undefined>): unknown {
  const source = argv.slice(1).find((arg) => arg.trimStart().startsWith('{')) ?? env.RUNNER_DOCTOR_PROBE_OPTIONS ?? '{}'
  try {
    return JSON.parse(source)
  } catch (error) {
    throw new AgentOptionsError(`The options are not valid JSON (${(error as Error).message}).`)
  }
}

/**
 * In a pod the CA bundle of --tls-ca-file (or the runner's tls-ca-file) arrives as text, `tlsCaPem`, since the file is
 * on the machine that started the probe; it is written to a file here and used as `tlsCaFile`.
 */
function caFromText(raw: unknown, progress: (message: string) => void): unknown {
  if (!raw || typeof raw !== 'object' || !('tlsCaPem' in raw)) return raw
  const {tlsCaPem, ...rest} = raw as Record<string, unknown>
  if (typeof tlsCaPem !== 'string' || tlsCaPem === '') throw new AgentOptionsError('tlsCaPem must be a non-empty string.')
  const dir = mkdtempSync(join(tmpdir(), 'runner-doctor-ca-'))
  const file = join(dir, 'ca.pem')
  writeFileSync(file, tlsCaPem)
  progress(`Trusting the extra CA bundle given (${file}).`)
  return {...rest, tlsCaFile: file}
}

async function main(): Promise<void> {
  const startedAt = performance.now()
  const env = process.env
  const progress = (message: string): void => {
    process.stderr.write(`runner-doctor probe: ${message}\n`)
  }
  let report: ProbeReport
  try {
    const options = resolveAgentOptions(validateAgentOptions(caFromText(readOptions(process.argv, env), progress)), env, {
      dindWaitMs: POD_DIND_WAIT_MS,
    })
    const outcome = await runAllChecks(options, {env, progress})
    // The cluster side sets the node name through the downward API, for --all-nodes comparisons.
    const node = env.RUNNER_DOCTOR_NODE_NAME
    const checks = node ? outcome.checks.map((c) => ({...c, node})) : outcome.checks
    report = buildReport('local', checks, {...outcome.timings, totalMs: Math.round(performance.now() - startedAt)})
  } catch (error) {
    const reason = error instanceof AgentOptionsError ? error.message : `unexpected error: ${(error as Error)?.stack ?? String(error)}`
    progress(reason)
    report = couldNotRunReport('local', reason, Math.round(performance.now() - startedAt))
  }
  process.stdout.write(`${REPORT_LINE_PREFIX}${JSON.stringify(report)}\n`, () => process.exit(report.summary.exitCode))
}

void main()
