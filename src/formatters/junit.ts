import {type FileResult, type Finding, type FormatContext, type LintResult, SEVERITY_RANK, type Severity} from '../lint/types.js'
import {describeCapacity} from './capacity-text.js'
import {isSkippedFile, reportPath} from './paths.js'
import {type JunitCase, type JunitSuite, junitTimestamp, renderJunitDocument} from '../util/junit.js'

/**
 * `failOn` decides which findings are failing test cases (the CLI passes `--fail-on`); `now` pins the
 * suites' `timestamp` in tests, the CLI leaves it to the current time.
 */
export interface JunitContext extends FormatContext {
  failOn?: Severity | 'none'
  now?: Date
}

/** What `lint` fails on by default, and so what a report made without `failOn` treats as failing. */
const DEFAULT_FAIL_ON = 'error'

/** Class name of test cases that are about a whole file rather than one rule. */
export const FILE_CLASSNAME = 'runner-doctor'

function failureBody(finding: Finding, path: string): string {
  const lines = [finding.message]
  if (finding.remediation) lines.push(finding.remediation)
  lines.push(`Rule: ${finding.ruleId}${finding.docsUrl ? ` (${finding.docsUrl})` : ''}`)
  lines.push(`Location: ${path}:${finding.line}:${finding.column}${finding.pointer ? ` (${finding.pointer})` : ''}`)
  return lines.join('\n')
}

/** A finding that makes the run fail, whether or not it was suppressed (a suppressed one is shown as skipped). */
function reachesFailOn(finding: Finding, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]
}

/**
 * GitLab compares test cases between pipelines by class name and name, so neither holds a line number: a finding
 * that moves when lines are added above it stays the same test. The JSON Pointer names the place (and, in a file
 * with several runners, the runner) without depending on lines.
 */
function findingCase(finding: Finding, path: string): JunitCase {
  const testCase = {classname: finding.ruleId, name: `${path} ${finding.pointer || '/'}`}
  if (finding.suppressed) {
    const where = finding.suppressed.by === 'config' ? 'in config' : 'inline'
    return {...testCase, outcome: {kind: 'skipped', message: `Suppressed ${where}: ${finding.suppressed.reason}`}}
  }
  return {
    ...testCase,
    outcome: {kind: 'failure', message: finding.message, type: finding.severity, body: failureBody(finding, path)},
  }
}

/**
 * The suite's standard output: findings below the failing severity and the capacity line, for people who open the
 * file (GitLab itself reads standard output only inside test cases, which the Ant schema does not allow).
 */
function suiteOutput(file: FileResult, path: string, failOn: Severity | 'none'): string {
  const lines: string[] = []
  for (const finding of file.findings) {
    if (finding.suppressed || reachesFailOn(finding, failOn)) continue
    lines.push(`${path}:${finding.line}:${finding.column}: ${finding.severity}: ${finding.message} (${finding.ruleId})`)
  }
  if (file.capacity) lines.push(`Capacity: ${describeCapacity(file.capacity)}`)
  return lines.join('\n')
}

/**
 * Skipped files (not runner configuration) have no test cases at all: in a repository with hundreds of other
 * manifests they would bury the findings. A checked file with nothing at or above `failOn` is one passing case.
 */
function fileCases(file: FileResult, path: string, failOn: Severity | 'none'): JunitCase[] {
  if (isSkippedFile(file)) return []
  const cases: JunitCase[] = []
  if (file.error) {
    const where = `${path}:${file.error.line}:${file.error.column}`
    cases.push({
      classname: FILE_CLASSNAME,
      name: `${path}: could not be read`,
      outcome: {kind: 'error', message: file.error.message, type: 'file-error', body: `${where}: ${file.error.message}`},
    })
  }
  const failing = file.findings.filter((finding) => reachesFailOn(finding, failOn))
  cases.push(...failing.map((finding) => findingCase(finding, path)))
  if (cases.length === 0) cases.push({classname: FILE_CLASSNAME, name: path, outcome: {kind: 'pass'}})
  return withUniqueNames(cases)
}

/** GitLab keeps only the first of several test cases with the same name, so repeats get a number. */
function withUniqueNames(cases: JunitCase[]): JunitCase[] {
  const seen = new Map<string, number>()
  return cases.map((testCase) => {
    const key = `${testCase.classname}\u0000${testCase.name}`
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    return count === 1 ? testCase : {...testCase, name: `${testCase.name} #${count}`}
  })
}

function fileSuite(file: FileResult, cases: JunitCase[], path: string, ctx: JunitContext, timestamp: string): JunitSuite {
  const properties = [
    ['kind', file.kind],
    ['chartVersion', file.chartVersion],
    ['runnerVersion', file.runnerVersion],
    ['toolVersion', ctx.toolVersion],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined)
  return {name: path, package: path, timestamp, time: 0, properties, cases, output: suiteOutput(file, path, ctx.failOn ?? DEFAULT_FAIL_ON)}
}

/**
 * JUnit XML for `artifacts:reports:junit`: one suite per checked file, one failing test case per finding at or
 * above `failOn` (GitLab shows the class name, here the rule id, as the suite). Valid against the Ant JUnit schema.
 */
export function formatJunit(result: LintResult, ctx: JunitContext): string {
  const timestamp = junitTimestamp(ctx.now ?? new Date())
  const failOn = ctx.failOn ?? DEFAULT_FAIL_ON
  const suites: JunitSuite[] = []
  for (const file of result.files) {
    const path = reportPath(file.path, ctx.cwd)
    const cases = fileCases(file, path, failOn)
    if (cases.length > 0) suites.push(fileSuite(file, cases, path, ctx, timestamp))
  }
  return renderJunitDocument(suites)
}
