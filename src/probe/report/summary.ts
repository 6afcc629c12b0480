import type {CheckResult, ProbeReport, ProbeSummary, ProbeTimings} from '../types.js'

/** Starts the one stdout line that carries the agent's JSON report out of a pod; the CLI looks for it in the log. */
export const REPORT_LINE_PREFIX = 'RUNNER_DOCTOR_REPORT '

/** The verdict leads with the first failure, else the first warning: what a person should look at first. */
export function summarize(checks: CheckResult[]): ProbeSummary {
  const count = (status: CheckResult['status']): number => checks.filter(c => c.status === status).length
  const pass = count('pass')
  const warn = count('warn')
  const fail = count('fail')
  const skip = count('skip')
  const firstFail = checks.find(c => c.status === 'fail')
  const firstWarn = checks.find(c => c.status === 'warn')
  let verdict: string
  if (firstFail) verdict = `${fail} check${fail === 1 ? '' : 's'} failed. ${firstFail.summary}`
  else if (firstWarn) verdict = `Working, with ${warn} warning${warn === 1 ? '' : 's'}. ${firstWarn.summary}`
  else verdict = `All ${pass} checks passed${skip > 0 ? ` (${skip} skipped)` : ''}.`
  return {pass, warn, fail, skip, verdict, exitCode: fail > 0 ? 1 : 0}
}

export function buildReport(mode: ProbeReport['mode'], checks: CheckResult[], timings: ProbeTimings, target?: ProbeReport['target']): ProbeReport {
  const report: ProbeReport = {mode, checks, timings, summary: summarize(checks)}
  if (target) report.target = target
  return report
}

/** A report for a probe that could not run at all (exit 2), so callers still get one parseable answer. */
export function couldNotRunReport(mode: ProbeReport['mode'], reason: string, totalMs: number): ProbeReport {
  return {mode, checks: [], timings: {totalMs}, summary: {pass: 0, warn: 0, fail: 0, skip: 0, verdict: `The probe could not run: ${reason}`, exitCode: 2}}
}
