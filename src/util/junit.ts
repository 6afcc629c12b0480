import {escapeXmlText, xmlAttributes} from './xml.js'

/** One test case's result, in the Ant JUnit schema GitLab's `artifacts:reports:junit` reads. */
export type JunitOutcome =
  {kind: 'pass'} | {kind: 'failure' | 'error'; message: string; type: string; body: string} | {kind: 'skipped'; message: string}

export interface JunitCase {
  classname: string
  name: string
  /** Seconds; 0 when unknown. */
  time?: string | number
  outcome: JunitOutcome
}

export interface JunitSuite {
  name: string
  package: string
  timestamp: string
  time: string | number
  properties: Array<[name: string, value: string]>
  cases: JunitCase[]
  /** Standard output of the suite (GitLab reads it only inside test cases, which the schema does not allow). */
  output: string
}

/** The schema's timestamp is an ISO 8601 date-time without fraction or zone (UTC is implied here). */
export function junitTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19)
}

function renderCase(testCase: JunitCase): string {
  const open = `    <testcase${xmlAttributes({classname: testCase.classname, name: testCase.name, time: testCase.time ?? 0})}`
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

function renderSuite(suite: JunitSuite, id: number): string {
  const count = (kind: JunitOutcome['kind']) => suite.cases.filter((testCase) => testCase.outcome.kind === kind).length
  const attributes = xmlAttributes({
    name: suite.name,
    package: suite.package,
    id,
    timestamp: suite.timestamp,
    hostname: 'localhost',
    tests: suite.cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: suite.time,
  })
  const properties = suite.properties.map(([name, value]) => `      <property${xmlAttributes({name, value})}/>`)
  return [
    `  <testsuite${attributes}>`,
    ...(properties.length ? ['    <properties>', ...properties, '    </properties>'] : ['    <properties/>']),
    ...suite.cases.map(renderCase),
    suite.output === '' ? '    <system-out/>' : `    <system-out>${escapeXmlText(suite.output)}</system-out>`,
    '    <system-err/>',
    '  </testsuite>',
  ].join('\n')
}

/** A whole JUnit document; suites are numbered in order. */
export function renderJunitDocument(suites: JunitSuite[]): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...suites.map(renderSuite), '</testsuites>', ''].join('\n')
}
