import {renderProbeReport} from '../../src/probe/report/index.js'
import {buildReport} from '../../src/probe/report/summary.js'
import type {CheckResult} from '../../src/probe/types.js'
import {junitSchemaErrors, xpath} from '../formatters/xmllint.js'

const check = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  status,
  summary: `${id} is ${status}`,
  evidence: [],
  durationMs: 12,
  ...extra,
})

const checks = [
  check('dns-cluster-name', 'pass'),
  check('dns-ndots', 'warn', {summary: 'ndots:5 costs 4 extra lookups <per> external name', remediation: 'Set dns_config ndots to 2.'}),
  check('docker-daemon-tls', 'fail', {
    summary: 'Nothing answers on docker:2376 & the daemon is unreachable',
    evidence: ['connect ECONNREFUSED 127.0.0.1:2376', 'control \u0001 character dropped'],
    cause: 'dind is not running',
    remediation: 'Add the docker:dind service with alias docker.',
  }),
  check('registry-pull', 'skip', {summary: 'No registry named'}),
]
const report = buildReport('mirror-pod', checks, {totalMs: 4200}, {namespace: 'ci', pod: 'rd-probe-1'})
const now = new Date('2026-12-04T10:00:00Z')

/** `xmllint --xpath '//x/@a'` prints ` a="v"` per node. */
const values = (text: string) => [...text.matchAll(/="([^"]*)"/g)].map((match) => match[1])

describe('probe --format junit', () => {
  const junit = renderProbeReport(report, 'junit', {now})

  test('is valid against the Ant JUnit schema GitLab reads, control characters and markup included', () => {
    expect(junitSchemaErrors(junit)).toBe('')
  })

  test('one test case per check, named by its stable id; only failed checks are failures, skipped ones skipped', () => {
    expect(values(xpath(junit, '//testcase/@name'))).toEqual(['dns-cluster-name', 'dns-ndots', 'docker-daemon-tls', 'registry-pull'])
    expect(values(xpath(junit, '//testcase[failure]/@name'))).toEqual(['docker-daemon-tls'])
    expect(values(xpath(junit, '//testcase[skipped]/@name'))).toEqual(['registry-pull'])
    expect(values(xpath(junit, '//testsuite/@failures'))).toEqual(['1'])
    expect(values(xpath(junit, '//testsuite/@tests'))).toEqual(['4'])
    const failure = xpath(junit, 'string(//failure)')
    expect(failure).toContain('connect ECONNREFUSED 127.0.0.1:2376')
    expect(failure).toContain('Fix: Add the docker:dind service with alias docker.')
  })

  test('the verdict and the warnings, which pass, are in the suite output', () => {
    const output = xpath(junit, 'string(//testsuite/system-out)')
    expect(output).toContain(report.summary.verdict)
    expect(output).toContain('warning: dns-ndots: ndots:5 costs 4 extra lookups <per> external name Fix: Set dns_config ndots to 2.')
    expect(output).toContain('1 passed, 1 warning, 1 failed, 1 skipped')
  })

  test('in --all-nodes runs a check is named with its node, so each node is its own test case', () => {
    const perNode = buildReport('all-nodes', [check('dns-ndots', 'pass', {node: 'a'}), check('dns-ndots', 'fail', {node: 'b'})], {
      totalMs: 1,
    })
    const xml = renderProbeReport(perNode, 'junit', {now})
    expect(values(xpath(xml, '//testcase/@name'))).toEqual(['dns-ndots on a', 'dns-ndots on b'])
    expect(junitSchemaErrors(xml)).toBe('')
  })
})

test('every format counts in words that agree with the number: 1 warning, 2 warnings', () => {
  const one = renderProbeReport(report, 'markdown')
  expect(one).toContain('1 passed, 1 warning, 1 failed, 1 skipped; exit code 1.')
  const two = buildReport('local', [check('a', 'warn'), check('b', 'warn')], {totalMs: 5})
  expect(renderProbeReport(two, 'markdown')).toContain('0 passed, 2 warnings, 0 failed, 0 skipped')
  expect(renderProbeReport(two, 'stylish')).toContain('0 passed, 2 warnings, 0 failed, 0 skipped in 5 ms.')
})
