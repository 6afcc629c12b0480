import {CODE_QUALITY_SEVERITY, FILE_ERROR_CHECK, formatCodeClimate} from '../../src/formatters/codeclimate.js'
import type {FileResult} from '../../src/lint/types.js'
import {CWD, contextOf, resultOf, sampleResult, tomlFile, valuesFile} from './sample-result.js'

interface Issue {
  description: unknown
  check_name: unknown
  fingerprint: unknown
  severity: unknown
  location: {path: unknown; lines?: {begin?: unknown}}
  content?: {body: unknown}
  categories?: unknown
}

const GITLAB_SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker']

function issuesOf(text: string): Issue[] {
  const parsed: unknown = JSON.parse(text)
  expect(Array.isArray(parsed)).toBe(true)
  return parsed as Issue[]
}

describe('codeclimate formatter (GitLab Code Quality)', () => {
  const output = formatCodeClimate(sampleResult, contextOf())
  const issues = issuesOf(output)

  test('is one JSON array without a byte order mark', () => {
    expect(output.charCodeAt(0)).toBe('['.charCodeAt(0))
    expect(issues.length).toBeGreaterThan(0)
  })

  test('every entry has the fields GitLab requires, with the types it requires', () => {
    for (const issue of issues) {
      expect(typeof issue.description).toBe('string')
      expect(typeof issue.check_name).toBe('string')
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/)
      expect(GITLAB_SEVERITIES).toContain(issue.severity)
      expect(typeof issue.location.path).toBe('string')
      expect(Number.isInteger(issue.location.lines?.begin)).toBe(true)
      expect(issue.location.lines!.begin as number).toBeGreaterThanOrEqual(1)
    }
  })

  test('fingerprints are unique, and the first of a repeated one is the engine fingerprint', () => {
    const fingerprints = issues.map((issue) => issue.fingerprint)
    expect(new Set(fingerprints).size).toBe(fingerprints.length)
    const helper = valuesFile.findings.filter((entry) => entry.ruleId === 'toml-helper-requests-missing')
    expect(helper).toHaveLength(2)
    expect(helper[0]!.fingerprint).toBe(helper[1]!.fingerprint)
    const printed = issues.filter((issue) => issue.check_name === 'toml-helper-requests-missing')
    expect(printed.map((issue) => issue.description)).toEqual([helper[0]!.message, helper[1]!.message])
    expect(printed[0]!.fingerprint).toBe(helper[0]!.fingerprint)
    expect(printed[1]!.fingerprint).not.toBe(helper[0]!.fingerprint)
  })

  test('fingerprints stay the same when lines move', () => {
    const moved: FileResult = {
      ...valuesFile,
      findings: valuesFile.findings.map((entry) => ({...entry, line: entry.line + 40, endLine: entry.endLine + 40})),
    }
    const before = issuesOf(formatCodeClimate(resultOf([valuesFile]), contextOf()))
    const after = issuesOf(formatCodeClimate(resultOf([moved]), contextOf()))
    expect(after.map((issue) => issue.fingerprint)).toEqual(before.map((issue) => issue.fingerprint))
    expect(after.map((issue) => issue.location.lines!.begin)).not.toEqual(before.map((issue) => issue.location.lines!.begin))
  })

  test('maps severities error to major, warning to minor and info to info', () => {
    expect(CODE_QUALITY_SEVERITY).toEqual({error: 'major', warning: 'minor', info: 'info'})
    const bySeverity = (ruleId: string) => issues.find((issue) => issue.check_name === ruleId)?.severity
    expect(bySeverity('toml-privileged')).toBe('major')
    expect(bySeverity('toml-image-latest')).toBe('minor')
    expect(bySeverity('values-template-not-evaluated')).toBe('info')
  })

  test('paths are relative to the working directory with forward slashes and no leading ./', () => {
    const paths = new Set(issues.map((issue) => issue.location.path))
    expect([...paths].sort()).toEqual(['charts/gitlab-runner/values.yaml', 'config.toml', 'deploy/broken-values.yaml'])
    const absolute: FileResult = {...tomlFile, path: `${CWD}/ops/runner/config.toml`}
    const fromAbsolute = issuesOf(formatCodeClimate(resultOf([absolute]), contextOf()))
    expect(fromAbsolute[0]!.location.path).toBe('ops/runner/config.toml')
    const fromStdin = issuesOf(formatCodeClimate(resultOf([{...tomlFile, path: '-'}]), contextOf()))
    expect(fromStdin[0]!.location.path).toBe('stdin')
  })

  test('leaves suppressed findings out and reports an unreadable file as a blocker', () => {
    const checks = issues.map((issue) => issue.check_name)
    expect(checks).not.toContain('toml-service-limits-missing')
    expect(checks).not.toContain('toml-poll-timeout-low')
    const unsuppressed = sampleResult.files.flatMap((file) => file.findings).filter((entry) => !entry.suppressed)
    expect(issues.filter((issue) => issue.check_name !== FILE_ERROR_CHECK)).toHaveLength(unsuppressed.length)
    const fileError = issues.find((issue) => issue.check_name === FILE_ERROR_CHECK)
    expect(fileError).toMatchObject({
      severity: 'blocker',
      description: 'deploy/broken-values.yaml could not be checked: Unexpected end of flow mapping.',
      location: {path: 'deploy/broken-values.yaml', lines: {begin: 14}},
    })
  })

  test('carries the message, the remediation and a Code Climate category', () => {
    const privileged = issues.find((issue) => issue.check_name === 'toml-privileged')
    expect(privileged).toMatchObject({
      description: 'Jobs run privileged: any job can take over the node it runs on.',
      content: {body: 'Set privileged = false and build images with a rootless builder.'},
      categories: ['Security'],
    })
    const networking = issues.find((issue) => issue.check_name === 'toml-dns-policy-spelling')
    expect(networking!.categories).toEqual(['Bug Risk'])
    const withoutCatalog = issuesOf(formatCodeClimate(sampleResult, contextOf({rules: []})))
    expect(withoutCatalog.every((issue) => issue.categories === undefined)).toBe(true)
  })

  test('a clean run is an empty array', () => {
    expect(issuesOf(formatCodeClimate(resultOf([]), contextOf()))).toEqual([])
  })
})
