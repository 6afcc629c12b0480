import type {FileResult, Finding, FormatContext, LintResult} from '../lint/types.js'
import {describeCapacity} from './capacity-text.js'
import {isSkippedFile, reportPath} from './paths.js'
import {escapeXmlText, xmlAttributes} from './xml.js'

/** Optional clock for the suites' `timestamp`; tests pin it, the CLI leaves it to the current time. */
export interface JunitContext extends FormatContext {
  now?: Date
}

/** Class name of test cases that are about a whole file rather than one rule. */
export const FILE_CLASSNAME = 'runner-doctor'

type Outcome =
  | {kind: 'pass'}
  | {kind: 'failure' | 'error'; message: string; type: string; body: string}
  | {kind: 'skipped'; message: string}

interface TestCase {
  classname: string
  name: string
  outcome: Outcome
}

/** The schema's timestamp is an ISO 8601 date-time without fraction or zone (UTC is implied here). */
function junitTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19)
}

function failureBody(finding: Finding, path: string): string {
  const lines = [finding.message]
  if (finding.remediation) lines.push(finding.remediation)
  lines.push(`Rule: ${finding.ruleId}${finding.docsUrl ? ` (${finding.docsUrl})` : ''}`)
  lines.push(`Location: ${path}:${finding.line}:${finding.column}${finding.pointer ? ` (${finding.pointer})` : ''}`)
  return lines.join('\n')
}

function findingCase(finding: Finding, path: string): TestCase {
  const testCase = {classname: finding.ruleId, name: `${path}:${finding.line}:${finding.column} ${finding.ruleId}`}
  if (finding.suppressed) {
    const where = finding.suppressed.by === 'config' ? 'in config' : 'inline'
    return {...testCase, outcome: {kind: 'skipped', message: `Suppressed ${where}: ${finding.suppressed.reason}`}}
  }
  if (finding.severity === 'info') return {...testCase, outcome: {kind: 'pass'}}
  return {
    ...testCase,
    outcome: {kind: 'failure', message: finding.message, type: finding.severity, body: failureBody(finding, path)},
  }
}

function fileCases(file: FileResult, path: string): TestCase[] {
  if (isSkippedFile(file)) {
    return [
      {
        classname: FILE_CLASSNAME,
        name: `${path}: skipped`,
        outcome: {kind: 'skipped', message: file.skipped ? `Skipped: ${file.skipped}` : 'Skipped.'},
      },
    ]
  }
  const cases: TestCase[] = []
  if (file.error) {
    const where = `${path}:${file.error.line}:${file.error.column}`
    cases.push({
      classname: FILE_CLASSNAME,
      name: `${path}: could not be read`,
      outcome: {kind: 'error', message: file.error.message, type: 'file-error', body: `${where}: ${file.error.message}`},
    })
  }
  cases.push(...file.findings.map((finding) => findingCase(finding, path)))
  if (cases.length === 0) cases.push({classname: FILE_CLASSNAME, name: `${path}: no findings`, outcome: {kind: 'pass'}})
  return withUniqueNames(cases)
}

/** GitLab keeps only the first of several test cases with the same name, so repeats get a number. */
function withUniqueNames(cases: TestCase[]): TestCase[] {
  const seen = new Map<string, number>()
  return cases.map((testCase) => {
    const key = `${testCase.classname}\u0000${testCase.name}`
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    return count === 1 ? testCase : {...testCase, name: `${testCase.name} #${count}`}
  })
}

function renderCase(testCase: TestCase): string {
  const open = `    <testcase${xmlAttributes({classname: testCase.classname, name: testCase.name, time: 0})}`
  const outcome = testCase.outcome
  switch (outcome.kind) {
    case 'pass':
      return `${open}/>`
    case 'skipped':
      return `${open}>\n      <skipped${xmlAttributes({message: outcome.message})}/>\n    </testcase>`
    default:
      return (
        `${open}>\n      <${outcome.kind}${xmlAttributes({message: outcome.message, type: outcome.type})}>` +
        `${escapeXmlText(outcome.body)}</${outcome.kind}>\n    </testcase>`
      )
  }
}

/** Infos pass as test cases, so their text and the capacity line go to the suite's standard output. */
function suiteOutput(file: FileResult, path: string): string {
  const lines: string[] = []
  for (const finding of file.findings) {
    if (finding.severity === 'info' && !finding.suppressed) {
      lines.push(`${path}:${finding.line}:${finding.column}: info: ${finding.message} (${finding.ruleId})`)
    }
  }
  if (file.capacity) lines.push(`Capacity: ${describeCapacity(file.capacity)}`)
  return lines.join('\n')
}

function renderSuite(file: FileResult, id: number, ctx: JunitContext, timestamp: string): string {
  const path = reportPath(file.path, ctx.cwd)
  const cases = fileCases(file, path)
  const count = (kind: Outcome['kind']) => cases.filter((testCase) => testCase.outcome.kind === kind).length
  const attributes = xmlAttributes({
    name: path,
    package: path,
    id,
    timestamp,
    hostname: 'localhost',
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: 0,
  })
  const properties = [
    ['kind', file.kind],
    ['chartVersion', file.chartVersion],
    ['runnerVersion', file.runnerVersion],
    ['toolVersion', ctx.toolVersion],
  ]
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `      <property${xmlAttributes({name, value})}/>`)
  const output = suiteOutput(file, path)
  return [
    `  <testsuite${attributes}>`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases.map(renderCase),
    output === '' ? '    <system-out/>' : `    <system-out>${escapeXmlText(output)}</system-out>`,
    '    <system-err/>',
    '  </testsuite>',
  ].join('\n')
}

/**
 * JUnit XML for `artifacts:reports:junit`: one suite per file, one test case per finding (GitLab uses
 * the class name, here the rule id, as the suite it shows). Valid against the Ant JUnit schema.
 */
export function formatJunit(result: LintResult, ctx: JunitContext): string {
  const timestamp = junitTimestamp(ctx.now ?? new Date())
  const suites = result.files.map((file, index) => renderSuite(file, index, ctx, timestamp))
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...suites, '</testsuites>', ''].join('\n')
}
