import {formatJunit, FILE_CLASSNAME} from '../../src/formatters/junit.js'
import type {FileResult} from '../../src/lint/types.js'
import {cleanFile, contextOf, finding, resultOf, sampleResult, skippedFile, valuesFile} from './sample-result.js'
import {junitSchemaErrors, xpath} from './xmllint.js'

const NOW = new Date('2026-03-14T09:26:53.589Z')
const render = (result = sampleResult) => formatJunit(result, {...contextOf(), now: NOW})

/** `xmllint --xpath '//x/@a'` prints ` a="v"` per node; this turns that into the values. */
function attributeValues(xml: string, expression: string): string[] {
  return [...xpath(xml, expression).matchAll(/="([^"]*)"/g)].map((match) =>
    match[1]!.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'),
  )
}

describe('junit formatter', () => {
  const xml = render()

  test('validates against the Ant JUnit schema', () => {
    expect(junitSchemaErrors(xml)).toBe('')
  })

  test('the schema check itself rejects a document the schema does not allow', () => {
    expect(junitSchemaErrors(xml.replace(/ timestamp="[^"]*"/, ''))).toMatch(/timestamp/)
    expect(junitSchemaErrors(xml.replace('<system-err/>', ''))).not.toBe('')
  })

  test('has one suite per checked file, named by its relative path, with consistent counts; skipped files have none', () => {
    expect(attributeValues(xml, '//testsuite/@name')).toEqual([
      'charts/gitlab-runner/values.yaml',
      'config.toml',
      'deploy/broken-values.yaml',
      'deploy/helmrelease.yaml',
    ])
    expect(xml).not.toContain('deploy/README.md')
    for (let index = 1; index <= 4; index += 1) {
      const suite = `/testsuites/testsuite[${index}]`
      expect(xpath(xml, `string(${suite}/@tests)`)).toBe(xpath(xml, `count(${suite}/testcase)`))
      expect(xpath(xml, `string(${suite}/@failures)`)).toBe(xpath(xml, `count(${suite}/testcase/failure)`))
      expect(xpath(xml, `string(${suite}/@errors)`)).toBe(xpath(xml, `count(${suite}/testcase/error)`))
      expect(xpath(xml, `string(${suite}/@skipped)`)).toBe(xpath(xml, `count(${suite}/testcase/skipped)`))
      expect(xpath(xml, `string(${suite}/@timestamp)`)).toBe('2026-03-14T09:26:53')
    }
  })

  test('a finding at or above fail_on is a failing test case named by file and JSON Pointer, with no line number', () => {
    const testCase = "//testcase[@classname='toml-privileged']"
    expect(xpath(xml, `string(${testCase}/@name)`)).toBe('charts/gitlab-runner/values.yaml /runners/config/runners/kubernetes/privileged')
    expect(xpath(xml, `string(${testCase}/failure/@type)`)).toBe('error')
    expect(xpath(xml, `string(${testCase}/failure/@message)`)).toBe('Jobs run privileged: any job can take over the node it runs on.')
    // The line stays in the failure text, where people read it, not in the identity GitLab compares.
    expect(xpath(xml, `string(${testCase}/failure)`)).toContain('Location: charts/gitlab-runner/values.yaml:24:9')
    expect(xpath(xml, `string(${testCase}/failure)`)).toContain('Set privileged = false and build images with a rootless builder.')
    for (const name of attributeValues(xml, '//testcase/@name')) expect(name).not.toMatch(/:\d+(:\d+)?\b/)
  })

  test('with the default fail_on (error) warnings are not failures; with fail_on warning they are', () => {
    expect(attributeValues(xml, '//failure/../@classname')).toEqual(['toml-privileged', 'values-runner-token-plain'])
    const strict = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn: 'warning'})
    expect(junitSchemaErrors(strict)).toBe('')
    expect(attributeValues(strict, '//failure/../@classname')).toEqual([
      'toml-privileged',
      'values-runner-token-plain',
      'toml-helper-requests-missing',
      'toml-helper-requests-missing',
      'toml-image-latest',
      'toml-dns-policy-spelling',
    ])
    expect(xpath(strict, "string(//testcase[@classname='toml-image-latest']/failure/@type)")).toBe('warning')
    // A suppressed finding that would fail is shown as skipped, with the reason.
    expect(xpath(strict, "string(//testcase[@classname='toml-service-limits-missing']/skipped/@message)")).toBe(
      'Suppressed in config: Services are sized by the namespace LimitRange.',
    )
    expect(xpath(xml, "count(//testcase[@classname='toml-service-limits-missing'])")).toBe('0')
  })

  test('fail_on none has no failing test cases: every checked file is one passing test', () => {
    const report = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn: 'none'})
    expect(junitSchemaErrors(report)).toBe('')
    expect(xpath(report, 'count(//failure)')).toBe('0')
    expect(attributeValues(report, `//testcase[@classname='${FILE_CLASSNAME}' and not(*)]/@name`)).toEqual([
      'charts/gitlab-runner/values.yaml',
      'config.toml',
      'deploy/helmrelease.yaml',
    ])
  })

  test('info findings are test cases only when fail_on is info; otherwise they go to the suite output', () => {
    const infoRules = ['values-template-not-evaluated', 'toml-poll-timeout-low']
    for (const failOn of ['error', 'warning', 'none'] as const) {
      const report = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn})
      for (const ruleId of infoRules) expect(xpath(report, `count(//testcase[@classname='${ruleId}'])`)).toBe('0')
    }
    const everything = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn: 'info'})
    expect(xpath(everything, "string(//testcase[@classname='values-template-not-evaluated']/failure/@type)")).toBe('info')
    const values = xpath(xml, 'string(/testsuites/testsuite[1]/system-out)')
    expect(values).toContain(
      'charts/gitlab-runner/values.yaml:18:11: info: The template {{ include "runner.name" . }} & <its helpers> were not evaluated.',
    )
    expect(values).toContain('charts/gitlab-runner/values.yaml:23:13: warning: The default job image "alpine:latest" uses a moving tag.')
  })

  test('test case identity does not change when the findings move to other lines', () => {
    const identities = (report: string) =>
      attributeValues(report, '//testcase/@classname').map(
        (classname, index) => `${classname} ${attributeValues(report, '//testcase/@name')[index]}`,
      )
    const moved = resultOf(
      sampleResult.files.map((file) => ({
        ...file,
        findings: file.findings.map((entry) => ({...entry, line: entry.line + 7, endLine: entry.endLine + 7})),
      })),
    )
    for (const failOn of ['error', 'warning'] as const) {
      const before = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn})
      const after = formatJunit(moved, {...contextOf(), now: NOW, failOn})
      expect(identities(after)).toEqual(identities(before))
      expect(after).not.toEqual(before)
    }
  })

  test('whole-file outcomes: a clean file passes, an unreadable one is an error', () => {
    const fileCases = `//testcase[@classname='${FILE_CLASSNAME}']`
    expect(attributeValues(xml, `${fileCases}/@name`)).toEqual([
      'config.toml',
      'deploy/broken-values.yaml: could not be read',
      'deploy/helmrelease.yaml',
    ])
    expect(xpath(xml, `string((${fileCases})[2]/error/@message)`)).toBe('Unexpected end of flow mapping.')
    expect(xpath(xml, `string((${fileCases})[2]/error)`)).toBe('deploy/broken-values.yaml:14:3: Unexpected end of flow mapping.')
    expect(xpath(xml, `count((${fileCases})[3]/*)`)).toBe('0')
  })

  test('a file that could not be read at all (missing, binary) is an error, not a skip, though its kind is skipped', () => {
    const missing: FileResult = {
      path: '/builds/platform/runners/deploy/gone.yaml',
      kind: 'skipped',
      findings: [],
      error: {message: 'No such file or directory.', line: 1, column: 1},
    }
    const report = formatJunit(resultOf([missing]), {...contextOf(), now: NOW})
    const fileCases = `//testcase[@classname='${FILE_CLASSNAME}']`
    expect(attributeValues(report, `${fileCases}/@name`)).toEqual(['deploy/gone.yaml: could not be read'])
    expect(xpath(report, `string((${fileCases})[1]/error/@message)`)).toBe('No such file or directory.')
    expect(xpath(report, `count(//skipped)`)).toBe('0')
  })

  test('class name and name together are unique, because GitLab keys test cases by them and drops repeats', () => {
    const strict = formatJunit(sampleResult, {...contextOf(), now: NOW, failOn: 'warning'})
    const names = attributeValues(strict, '//testcase/@name')
    const keys = attributeValues(strict, '//testcase/@classname').map((classname, index) => `${classname} ${names[index]}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(names).toContain('charts/gitlab-runner/values.yaml /runners/config/runners/kubernetes #2')
  })

  test('escapes markup and drops characters XML 1.0 cannot hold', () => {
    const hostile = finding('values.yaml', 'values.yaml', {
      ruleId: 'values-image-latest',
      severity: 'error',
      message: 'Tag "a<b>&c" \'q\' ]]> bell\u0007 nul\u0000 esc\u001B[31m lone\uD800 ok ✓ 🚀\tend',
      pointer: '/image/tag',
      line: 2,
      column: 8,
      remediation: 'Line one.\nLine two & <three>.',
    })
    const file: FileResult = {path: 'dir with space/values.yaml', kind: 'helm-values', findings: [hostile]}
    const hostileXml = render(resultOf([file]))
    expect(junitSchemaErrors(hostileXml)).toBe('')
    // Node would turn a lone surrogate into U+FFFD on the way to xmllint, so check the raw text too.
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are the point of the check
    expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF]/u.test(hostileXml)).toBe(false)
    expect(xpath(hostileXml, 'string(//failure/@message)')).toBe('Tag "a<b>&c" \'q\' ]]> bell nul esc[31m lone ok ✓ 🚀\tend')
    expect(xpath(hostileXml, 'string(//failure)')).toContain('Line one.\nLine two & <three>.')
    expect(xpath(hostileXml, 'string(//testsuite/@name)')).toBe('dir with space/values.yaml')
  })

  test('a run with only skipped files is still a valid report, with no suites', () => {
    const report = render(resultOf([skippedFile]))
    expect(junitSchemaErrors(report)).toBe('')
    expect(xpath(report, 'count(//testsuite)')).toBe('0')
  })

  test('a run with one clean file is still a valid report with one passing test', () => {
    const clean = render(resultOf([cleanFile]))
    expect(junitSchemaErrors(clean)).toBe('')
    expect(xpath(clean, 'count(//testcase)')).toBe('1')
  })

  test('uses the current time when no clock is given', () => {
    const before = Date.now()
    const stamp = xpath(formatJunit(resultOf([valuesFile]), contextOf()), 'string(//testsuite/@timestamp)')
    const parsed = Date.parse(`${stamp}Z`)
    expect(parsed).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(parsed).toBeLessThanOrEqual(Date.now())
  })
})
