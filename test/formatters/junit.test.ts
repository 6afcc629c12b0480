import {formatJunit, FILE_CLASSNAME} from '../../src/formatters/junit.js'
import type {FileResult} from '../../src/lint/types.js'
import {cleanFile, contextOf, finding, resultOf, sampleResult, valuesFile} from './sample-result.js'
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

  test('has one suite per file, named by its relative path, with consistent counts', () => {
    expect(attributeValues(xml, '//testsuite/@name')).toEqual([
      'charts/gitlab-runner/values.yaml',
      'config.toml',
      'deploy/README.md',
      'deploy/broken-values.yaml',
      'deploy/helmrelease.yaml',
    ])
    for (let index = 1; index <= 5; index += 1) {
      const suite = `/testsuites/testsuite[${index}]`
      expect(xpath(xml, `string(${suite}/@tests)`)).toBe(xpath(xml, `count(${suite}/testcase)`))
      expect(xpath(xml, `string(${suite}/@failures)`)).toBe(xpath(xml, `count(${suite}/testcase/failure)`))
      expect(xpath(xml, `string(${suite}/@errors)`)).toBe(xpath(xml, `count(${suite}/testcase/error)`))
      expect(xpath(xml, `string(${suite}/@skipped)`)).toBe(xpath(xml, `count(${suite}/testcase/skipped)`))
      expect(xpath(xml, `string(${suite}/@timestamp)`)).toBe('2026-03-14T09:26:53')
    }
  })

  test('an error or warning is a failing test case named path:line:col ruleId', () => {
    const testCase = "//testcase[@classname='toml-privileged']"
    expect(xpath(xml, `string(${testCase}/@name)`)).toBe('charts/gitlab-runner/values.yaml:24:9 toml-privileged')
    expect(xpath(xml, `string(${testCase}/failure/@type)`)).toBe('error')
    expect(xpath(xml, `string(${testCase}/failure/@message)`)).toBe(
      'Jobs run privileged: any job can take over the node it runs on.',
    )
    expect(xpath(xml, `string(${testCase}/failure)`)).toContain('Set privileged = false and build images with a rootless builder.')
    expect(xpath(xml, "string(//testcase[@classname='toml-image-latest']/failure/@type)")).toBe('warning')
    expect(xpath(xml, 'count(//failure)')).toBe('6')
  })

  test('an info passes, its text goes to the suite output; suppressed findings are skipped with the reason', () => {
    expect(xpath(xml, "count(//testcase[@classname='values-template-not-evaluated']/*)")).toBe('0')
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/system-out)')).toContain(
      'charts/gitlab-runner/values.yaml:18:11: info: The template {{ include "runner.name" . }} & <its helpers> were not evaluated.',
    )
    expect(xpath(xml, "string(//testcase[@classname='toml-service-limits-missing']/skipped/@message)")).toBe(
      'Suppressed in config: Services are sized by the namespace LimitRange.',
    )
    expect(xpath(xml, "string(//testcase[@classname='toml-poll-timeout-low']/skipped/@message)")).toBe(
      'Suppressed inline: Kept explicit for the platform team.',
    )
  })

  test('whole-file outcomes: no findings passes, skipped is skipped, unreadable is an error', () => {
    const fileCases = `//testcase[@classname='${FILE_CLASSNAME}']`
    expect(attributeValues(xml, `${fileCases}/@name`)).toEqual([
      'deploy/README.md: skipped',
      'deploy/broken-values.yaml: could not be read',
      'deploy/helmrelease.yaml: no findings',
    ])
    expect(xpath(xml, `string((${fileCases})[1]/skipped/@message)`)).toBe('Skipped: not a runner configuration file')
    expect(xpath(xml, `string((${fileCases})[2]/error/@message)`)).toBe('Unexpected end of flow mapping.')
    expect(xpath(xml, `string((${fileCases})[2]/error)`)).toBe('deploy/broken-values.yaml:14:3: Unexpected end of flow mapping.')
    expect(xpath(xml, `count((${fileCases})[3]/*)`)).toBe('0')
  })

  test('a file that could not be read at all (missing, binary) is an error, not a skip, though its kind is skipped', () => {
    const missing: FileResult = {path: '/builds/platform/runners/deploy/gone.yaml', kind: 'skipped', findings: [], error: {message: 'No such file or directory.', line: 1, column: 1}}
    const report = formatJunit(resultOf([missing]), {...contextOf(), now: NOW})
    const fileCases = `//testcase[@classname='${FILE_CLASSNAME}']`
    expect(attributeValues(report, `${fileCases}/@name`)).toEqual(['deploy/gone.yaml: could not be read'])
    expect(xpath(report, `string((${fileCases})[1]/error/@message)`)).toBe('No such file or directory.')
    expect(xpath(report, `count(//skipped)`)).toBe('0')
  })

  test('test case names are unique, because GitLab drops repeated ones', () => {
    const names = attributeValues(xml, '//testcase/@name')
    expect(new Set(names).size).toBe(names.length)
    expect(names).toContain('charts/gitlab-runner/values.yaml:20:5 toml-helper-requests-missing #2')
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
    expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF]/u.test(hostileXml)).toBe(false)
    expect(xpath(hostileXml, 'string(//failure/@message)')).toBe(
      'Tag "a<b>&c" \'q\' ]]> bell nul esc[31m lone ok ✓ 🚀\tend',
    )
    expect(xpath(hostileXml, 'string(//failure)')).toContain('Line one.\nLine two & <three>.')
    expect(xpath(hostileXml, 'string(//testsuite/@name)')).toBe('dir with space/values.yaml')
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
