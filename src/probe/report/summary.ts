import type {CheckResult, ProbeCause, ProbeReport, ProbeSummary, ProbeTimings} from '../types.js'
import {findCauses} from './causes.js'

/** Starts the one stdout line that carries the agent's JSON report out of a pod; the CLI looks for it in the log. */
export const REPORT_LINE_PREFIX = 'RUNNER_DOCTOR_REPORT '

/** The verdict names the first root cause and its fix: what a person should do first. */
export function summarize(checks: CheckResult[], causes: ProbeCause[] = findCauses(checks)): ProbeSummary {
  const count = (status: CheckResult['status']): number => checks.filter((c) => c.status === status).length
  const pass = count('pass')
  const warn = count('warn')
  const fail = count('fail')
  const skip = count('skip')
  const first = causes[0]
  let verdict: string
  if (first) {
    const more = causes.length > 1 ? ` (${causes.length - 1} more cause${causes.length === 2 ? '' : 's'} below)` : ''
    verdict = `${first.title} Fix: ${first.fix}${more}`
  } else verdict = `All ${pass} checks passed${skip > 0 ? ` (${skip} skipped)` : ''}.`
  return {pass, warn, fail, skip, verdict, exitCode: fail > 0 ? 1 : 0}
}

/** "3 passed, 1 warning, 0 failed, 2 skipped": the counts every probe format ends with. */
export function countLine({pass, warn, fail, skip}: Pick<ProbeSummary, 'pass' | 'warn' | 'fail' | 'skip'>): string {
  return `${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped`
}

export function buildReport(
  mode: ProbeReport['mode'],
  checks: CheckResult[],
  timings: ProbeTimings,
  target?: ProbeReport['target'],
): ProbeReport {
  const causes = findCauses(checks)
  const report: ProbeReport = {mode, checks, causes, timings, summary: summarize(checks, causes)}
  if (target) report.target = target
  return report
}

/** A report for a probe that could not run at all (exit 2), so callers still get one parseable answer. */
export function couldNotRunReport(mode: ProbeReport['mode'], reason: string, totalMs: number): ProbeReport {
  return {
    mode,
    checks: [],
    timings: {totalMs},
    summary: {pass: 0, warn: 0, fail: 0, skip: 0, verdict: `The probe could not run: ${reason}`, exitCode: 2},
  }
}
