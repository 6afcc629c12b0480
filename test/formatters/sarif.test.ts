import {readFileSync} from 'node:fs'
import type {Ajv as AjvType, ValidateFunction} from 'ajv'
import {FINGERPRINT_KEY, formatSarif, SARIF_LEVEL, SOURCE_ROOT} from '../../src/formatters/sarif.js'
import type {FileResult} from '../../src/lint/types.js'
import {contextOf, resultOf, sampleResult, sampleRules, tomlFile, valuesFile} from './sample-result.js'

interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: string
  message: {text: string}
  locations: Array<{
    physicalLocation: {
      artifactLocation: {uri: string; uriBaseId?: string}
      region?: {startLine: number; startColumn?: number; endLine?: number; endColumn?: number}
    }
  }>
  partialFingerprints?: Record<string, string>
  suppressions?: Array<{kind: string; status?: string; justification?: string}>
  properties?: {pointer?: string}
}

interface SarifLog {
  $schema: string
  version: string
  runs: Array<{
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SARIF objects, read field by field
    tool: {driver: {name: string; version: string; informationUri: string; rules: Array<Record<string, any>>}}
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    invocations: Array<{executionSuccessful: boolean; toolExecutionNotifications?: Array<Record<string, any>>}>
    originalUriBaseIds: Record<string, {uri: string}>
    columnKind: string
    results: SarifResult[]
  }>
}

/**
 * The official schema is draft-04; ajv 8 reads it as draft-07 once `$schema` and `id` are removed,
 * which is safe here because the file uses no keyword whose meaning changed between the drafts.
 */
async function sarifValidator(): Promise<ValidateFunction> {
  const {Ajv} = await import('ajv')
  const formats = (await import('ajv-formats')) as unknown as {default: (ajv: AjvType) => AjvType}
  const schemaText = readFileSync(new URL('../fixtures/formatters/sarif-schema-2.1.0.json', import.meta.url), 'utf8')
  const {$schema: _draft, id: _id, ...schema} = JSON.parse(schemaText) as Record<string, unknown>
  expect(schemaText).not.toContain('exclusiveMinimum')
  const ajv = new Ajv({strict: false, allErrors: true})
  formats.default(ajv)
  return ajv.compile(schema)
}

describe('sarif formatter', () => {
  let validate: ValidateFunction
  beforeAll(async () => {
    validate = await sarifValidator()
  })

  const log = JSON.parse(formatSarif(sampleResult, contextOf())) as SarifLog
  const run = log.runs[0]!

  test('validates against the SARIF 2.1.0 schema', () => {
    const valid = validate(log)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  test('the schema check rejects a log the schema does not allow', () => {
    const broken = structuredClone(log)
    ;(broken.runs[0]!.results[0] as {level: string}).level = 'info'
    expect(validate(broken)).toBe(false)
    const noDriver = structuredClone(log) as unknown as {runs: Array<{tool: Record<string, unknown>}>}
    delete noDriver.runs[0]!.tool.driver
    expect(validate(noDriver)).toBe(false)
  })

  test('has the version, one run and the driver description', () => {
    expect(log.version).toBe('2.1.0')
    expect(log.$schema).toMatch(/^https:\/\/.*sarif-schema-2\.1\.0\.json$/)
    expect(log.runs).toHaveLength(1)
    expect(run.tool.driver).toMatchObject({name: 'runner-doctor', version: '0.1.0'})
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//)
    // Our columns are UTF-16 code units (test/trust/columns.test.ts); the log says so instead of leaving it to a default.
    expect(run.columnKind).toBe('utf16CodeUnits')
  })

  test('describes each catalog rule with its texts, link and default level', () => {
    const privileged = sampleRules[0]!
    expect(run.tool.driver.rules[0]).toEqual({
      id: privileged.id,
      shortDescription: {text: privileged.title},
      fullDescription: {text: privileged.rationale},
      help: {text: privileged.remediation},
      helpUri: privileged.docsUrl,
      defaultConfiguration: {level: 'error'},
      properties: {category: 'security', tags: ['security']},
    })
    const info = run.tool.driver.rules.find((rule) => rule.id === 'values-template-not-evaluated')
    expect(info!.defaultConfiguration).toEqual({level: 'note'})
  })

  test('every result points at a rule with its id, including a rule missing from the catalog', () => {
    const findings = sampleResult.files.flatMap((file) => file.findings)
    expect(run.results).toHaveLength(findings.length)
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId)
    const missing = run.results.find((result) => result.ruleId === 'toml-poll-timeout-low')
    expect(missing!.ruleIndex).toBe(sampleRules.length)
    expect(run.tool.driver.rules[sampleRules.length]).toMatchObject({
      id: 'toml-poll-timeout-low',
      help: {text: 'Remove poll_timeout or raise it for slow image pulls.'},
      defaultConfiguration: {level: 'note'},
    })
  })

  test('maps severity to level and carries message, region, fingerprint and pointer', () => {
    expect(SARIF_LEVEL).toEqual({error: 'error', warning: 'warning', info: 'note'})
    const source = tomlFile.findings[0]!
    const result = run.results.find((entry) => entry.ruleId === source.ruleId)!
    expect(result).toEqual({
      ruleId: source.ruleId,
      ruleIndex: 6,
      level: 'warning',
      message: {text: source.message},
      locations: [
        {
          physicalLocation: {
            artifactLocation: {uri: 'config.toml', uriBaseId: SOURCE_ROOT},
            region: {startLine: 14, startColumn: 3, endLine: 14, endColumn: 31},
          },
        },
      ],
      partialFingerprints: {[FINGERPRINT_KEY]: source.fingerprint},
      properties: {pointer: source.pointer},
    })
    expect(run.results.filter((entry) => entry.level === 'note').map((entry) => entry.ruleId)).toEqual([
      'values-template-not-evaluated',
      'toml-poll-timeout-low',
    ])
  })

  test('suppressed findings carry a suppression: external for config, in source for inline', () => {
    const suppressions = run.results.filter((result) => result.suppressions).map((result) => [result.ruleId, result.suppressions])
    expect(suppressions).toEqual([
      [
        'toml-service-limits-missing',
        [{kind: 'external', status: 'accepted', justification: 'Services are sized by the namespace LimitRange.'}],
      ],
      ['toml-poll-timeout-low', [{kind: 'inSource', status: 'accepted', justification: 'Kept explicit for the platform team.'}]],
    ])
  })

  test('artifact URIs are relative to the working directory and percent-encoded', () => {
    expect(run.originalUriBaseIds[SOURCE_ROOT]).toEqual({uri: 'file:///builds/platform/runners/'})
    const uris = new Set(run.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri))
    expect([...uris]).toEqual(['charts/gitlab-runner/values.yaml', 'config.toml'])
    const odd: FileResult = {...valuesFile, path: 'env #2/values prod.yaml'}
    const oddLog = JSON.parse(formatSarif(resultOf([odd]), contextOf())) as SarifLog
    expect(validate(oddLog)).toBe(true)
    expect(oddLog.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('env%20%232/values%20prod.yaml')
    const stdinLog = JSON.parse(formatSarif(resultOf([{...tomlFile, path: '-'}]), contextOf())) as SarifLog
    expect(stdinLog.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({uri: 'stdin'})
  })

  test('an unreadable file is a failed invocation with a notification at its position', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: {text: 'Unexpected end of flow mapping.'},
            locations: [
              {
                physicalLocation: {
                  artifactLocation: {uri: 'deploy/broken-values.yaml', uriBaseId: SOURCE_ROOT},
                  region: {startLine: 14, startColumn: 3},
                },
              },
            ],
          },
        ],
      },
    ])
    const clean = JSON.parse(formatSarif(resultOf([valuesFile]), contextOf())) as SarifLog
    expect(clean.runs[0]!.invocations).toEqual([{executionSuccessful: true}])
  })

  test('a finding without a usable position still validates, without a region', () => {
    const unplaced: FileResult = {...tomlFile, findings: [{...tomlFile.findings[0]!, line: 0, column: 0, endLine: 0, endColumn: 0}]}
    const unplacedLog = JSON.parse(formatSarif(resultOf([unplaced]), contextOf())) as SarifLog
    expect(validate(unplacedLog)).toBe(true)
    expect(unplacedLog.runs[0]!.results[0]!.locations[0]!.physicalLocation.region).toBeUndefined()
  })
})
