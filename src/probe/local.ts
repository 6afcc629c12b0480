import {AgentOptionsError, type AgentOptions, resolveAgentOptions, validateAgentOptions} from './agent/options.js'
import {runAllChecks} from './agent/run-checks.js'
import {buildReport} from './report/summary.js'
import type {ProbeReport} from './types.js'

export interface LocalProbeIo {
  env?: Record<string, string | undefined>
  /** Progress lines while the probe waits; the CLI sends them to stderr. */
  progress?: (message: string) => void
}

/** In the current shell (a CI job with a dind service, or anywhere) dind is normally up already; wait a little. */
export const LOCAL_DIND_WAIT_MS = 5000

export {AgentOptionsError as ProbeOptionsError}
export type {AgentOptions as LocalProbeOptions}

/** Runs every check here, in this process, and returns the report (mode `local`). Throws ProbeOptionsError on bad options. */
export async function runLocalProbe(options: AgentOptions, io: LocalProbeIo = {}): Promise<ProbeReport> {
  const startedAt = performance.now()
  const env = io.env ?? process.env
  const resolved = resolveAgentOptions(validateAgentOptions(options), env, {dindWaitMs: LOCAL_DIND_WAIT_MS})
  const outcome = await runAllChecks(resolved, {env, progress: io.progress ?? (() => undefined)})
  return buildReport('local', outcome.checks, {...outcome.timings, totalMs: Math.round(performance.now() - startedAt)})
}
