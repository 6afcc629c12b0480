import {formatJson} from '../../src/formatters/json.js'
import type {Finding} from '../../src/lint/types.js'
import {brokenFile, contextOf, sampleResult, skippedFile, tomlFile, valuesFile} from './sample-result.js'

type Document = {files: Array<Record<string, unknown> & {findings: Array<Record<string, unknown>>}>; summary: unknown}

const FINDING_KEYS = [
  'ruleId',
  'severity',
  'message',
  'line',
  'column',
  'endLine',
  'endColumn',
  'pointer',
  'fingerprint',
  'remediation',
  'docsUrl',
]

function parse(text: string): Document {
  return JSON.parse(text) as Document
}

describe('json formatter', () => {
  const output = formatJson(sampleResult, contextOf())
  const document = parse(output)

  test('is pretty-printed with two spaces and ends with a newline', () => {
    expect(output.startsWith('{\n  "files": [\n    {\n      "path": ')).toBe(true)
    expect(output.endsWith('}\n')).toBe(true)
    expect(Object.keys(document)).toEqual(['files', 'summary'])
  })

  test('keeps the documented key order for files and findings', () => {
    expect(Object.keys(document.files[0]!)).toEqual(['path', 'kind', 'chartVersion', 'runnerVersion', 'capacity', 'findings'])
    expect(Object.keys(document.files[2]!)).toEqual(['path', 'kind', 'skipped', 'findings'])
    expect(Object.keys(document.files[3]!)).toEqual(['path', 'kind', 'error', 'findings'])
    for (const file of document.files) {
      for (const entry of file.findings) {
        const expectedKeys = entry.suppressed ? [...FINDING_KEYS, 'suppressed'] : FINDING_KEYS
        expect(Object.keys(entry)).toEqual(expectedKeys)
      }
    }
  })

  test('key order does not follow the order the engine built its objects in', () => {
    const shuffled = Object.fromEntries(Object.entries(valuesFile.findings[0]!).reverse()) as unknown as Finding
    const reordered = {...sampleResult, files: [{...valuesFile, findings: [shuffled]}]}
    const entry = parse(formatJson(reordered, contextOf())).files[0]!.findings[0]!
    expect(Object.keys(entry)).toEqual(FINDING_KEYS)
  })

  test('carries every finding field except the file, which the parent names', () => {
    const originals = sampleResult.files.flatMap((file) => file.findings)
    const printed = document.files.flatMap((file) => file.findings.map((entry) => ({...entry, file: file.path})))
    expect(printed).toEqual(originals)
    for (const file of document.files) for (const entry of file.findings) expect(entry).not.toHaveProperty('file')
  })

  test('includes suppressed findings with who suppressed them and why', () => {
    const suppressed = document.files.flatMap((file) => file.findings).filter((entry) => entry.suppressed)
    expect(suppressed.map((entry) => [entry.ruleId, entry.suppressed])).toEqual([
      ['toml-service-limits-missing', {by: 'config', reason: 'Services are sized by the namespace LimitRange.'}],
      ['toml-poll-timeout-low', {by: 'inline', reason: 'Kept explicit for the platform team.'}],
    ])
  })

  test('reports skipped files, unreadable files and capacity', () => {
    expect(document.files[2]).toEqual({path: skippedFile.path, kind: 'skipped', skipped: skippedFile.skipped, findings: []})
    expect(document.files[3]).toEqual({path: brokenFile.path, kind: 'helm-values', error: brokenFile.error, findings: []})
    expect(document.files[0]!.capacity).toEqual(valuesFile.capacity)
    expect(document.files[1]!.capacity).toEqual(tomlFile.capacity)
    expect(Object.keys(document.files[0]!.capacity as object)).toEqual([
      'maxConcurrentJobs',
      'managerReplicas',
      'replicasSource',
      'concurrent',
      'runnerLimitSum',
      'perJobRequests',
      'perJobLimits',
      'totalRequests',
    ])
  })

  test('copies the summary unchanged', () => {
    expect(document.summary).toEqual(sampleResult.summary)
    expect(Object.keys(document.summary as object)).toEqual(Object.keys(sampleResult.summary))
  })

  test('paths are printed as given, including stdin', () => {
    const stdin = {...tomlFile, path: '-', findings: tomlFile.findings.map((entry) => ({...entry, file: '-'}))}
    const printed = parse(formatJson({...sampleResult, files: [stdin]}, contextOf()))
    expect(printed.files[0]!.path).toBe('-')
    expect(document.files[1]!.path).toBe('./config.toml')
  })
})
