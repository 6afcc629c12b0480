import {type JunitCase, junitTimestamp, renderJunitDocument} from '../../util/junit.js'
import type {CheckResult, ProbeReport} from '../types.js'
import {countLine} from './summary.js'

/** Pins the suite's `timestamp` in tests; the CLI leaves it to the current time. */
export interface ProbeJunitOptions {
  now?: Date
}

const CLASSNAME = 'runner-doctor probe'

/**
 * GitLab matches test cases between pipelines by class name and name, so the name is the check's stable id (with
 * the node in --all-nodes runs): a check that fails today and passed yesterday shows as newly failed in the widget.
 */
function caseName(check: CheckResult): string {
  return check.node ? `${check.id} on ${check.node}` : check.id
}

function failureBody(check: CheckResult): string {
  return [
    check.summary,
    ...check.evidence,
    check.cause ? `Cause: ${check.cause}` : '',
    check.remediation ? `Fix: ${check.remediation}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n')
}

/** Only failed checks fail the job (exit code 1), so only they are failures; a warning passes and is listed in the suite's output. */
function checkCase(check: CheckResult): JunitCase {
  const testCase = {classname: CLASSNAME, name: caseName(check), time: (check.durationMs / 1000).toFixed(3)}
  if (check.status === 'fail')
    return {...testCase, outcome: {kind: 'failure', message: check.summary, type: 'fail', body: failureBody(check)}}
  if (check.status === 'skip') return {...testCase, outcome: {kind: 'skipped', message: check.summary}}
  return {...testCase, outcome: {kind: 'pass'}}
}

/**
 * The probe's checks as one Ant-schema JUnit suite, for GitLab's `artifacts:reports:junit`: one test case per check.
 * The verdict and the warnings go to the suite's standard output, where people who open the file find them.
 */
export function renderJunit(report: ProbeReport, options: ProbeJunitOptions = {}): string {
  const warnings = report.checks.filter((check) => check.status === 'warn')
  const output = [
    report.summary.verdict,
    ...warnings.map((check) => `warning: ${caseName(check)}: ${check.summary}${check.remediation ? ` Fix: ${check.remediation}` : ''}`),
    countLine(report.summary),
  ].join('\n')
  return renderJunitDocument([
    {
      name: `runner-doctor probe (${report.mode})`,
      package: 'runner-doctor',
      timestamp: junitTimestamp(options.now ?? new Date()),
      time: (report.timings.totalMs / 1000).toFixed(3),
      properties: [],
      cases: report.checks.map(checkCase),
      output,
    },
  ])
}
