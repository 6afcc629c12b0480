import {readFileSync} from 'node:fs'
import {formatStylish} from '../../src/formatters/stylish.js'
import type {Capacity} from '../../src/lint/types.js'
import {
  brokenFile,
  cleanFile,
  contextOf,
  finding,
  resultOf,
  sampleResult,
  skippedFile,
  tomlFile,
  valuesCapacity,
  valuesFile,
} from './sample-result.js'

const expected = (name: string) => readFileSync(new URL(`../fixtures/formatters/${name}`, import.meta.url), 'utf8')
// eslint-disable-next-line no-control-regex -- ESC opens the colour sequences being removed
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '')

describe('stylish formatter', () => {
  test('renders the sample run exactly as the reviewed fixture', () => {
    expect(formatStylish(sampleResult, contextOf())).toBe(expected('stylish.txt'))
  })

  test('verbose mode adds the suppressed findings, marked with who suppressed them and why', () => {
    const output = formatStylish(sampleResult, contextOf({verbose: true}))
    expect(output).toBe(expected('stylish-verbose.txt'))
    expect(output).toMatch(/toml-service-limits-missing +\(suppressed in config: Services are sized by the namespace LimitRange\.\)/)
    expect(output).toMatch(/toml-poll-timeout-low +\(suppressed inline: Kept explicit for the platform team\.\)/)
    expect(formatStylish(sampleResult, contextOf())).not.toContain('toml-service-limits-missing')
  })

  test('colour is ANSI only when asked for, and changes nothing but the escapes', () => {
    const plain = formatStylish(sampleResult, contextOf())
    const coloured = formatStylish(sampleResult, contextOf({color: true}))
    expect(plain).not.toContain('\u001B')
    expect(coloured).toContain('\u001B[31merror\u001B[0m')
    expect(coloured).toContain('\u001B[33mwarning\u001B[0m')
    expect(stripAnsi(coloured)).toBe(plain)
  })

  test('no line ends in spaces and every finding row aligns its columns', () => {
    const output = formatStylish(sampleResult, contextOf({verbose: true}))
    for (const line of output.split('\n')) expect(line).not.toMatch(/\s$/)
    const rows = output.split('\n').filter((line) => line.startsWith('  ') && /^\s+\d+:\d+/.test(line))
    const valuesRows = rows.filter((row) => /values-|toml-(privileged|helper|image|service)/.test(row))
    const colon = new Set(valuesRows.map((row) => row.indexOf(':')))
    const severityColumn = new Set(valuesRows.map((row) => row.search(/(error|warning|info) /)))
    expect(colon.size).toBe(1)
    expect(severityColumn.size).toBe(1)
  })

  test('a run without problems says so in one line', () => {
    const output = formatStylish(resultOf([cleanFile]), contextOf())
    expect(output).toBe('✔ No problems in 1 file · 12 rules, 12 passed · chart 0.86.0 (newest known)\n')
  })

  test('a run where a file could not be read never shows the check mark of a clean run', () => {
    expect(
      formatStylish(resultOf([brokenFile]), contextOf())
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('✖ Nothing was checked · 1 file could not be read · 12 rules, 12 passed · chart 0.86.0 (newest known)')
    expect(
      formatStylish(resultOf([cleanFile, brokenFile]), contextOf())
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('✖ No problems in the 1 other file · 1 file could not be read · 12 rules, 12 passed · chart 0.86.0 (newest known)')
  })

  test('counts are singular when there is one, and the chart version source is named', () => {
    const single = finding('values.yaml', 'values.yaml', {
      ruleId: 'toml-privileged',
      severity: 'error',
      message: 'Jobs run privileged.',
      pointer: '/runners/config',
      line: 7,
      column: 1,
      remediation: 'Turn privileged off.',
    })
    const result = resultOf([{path: 'values.yaml', kind: 'helm-values', findings: [single]}], {
      rulesRun: 1,
      rulesPassed: 0,
      chartVersion: '0.70.1',
      chartVersionSource: 'flag',
    })
    const lines = formatStylish(result, contextOf()).trimEnd().split('\n')
    expect(lines.at(-1)).toBe(
      '✖ 1 problem (1 error, 0 warnings, 0 infos) in 1 file · 1 rule, 0 passed · chart 0.70.1 (from --chart-version)',
    )
    expect(lines[0]).toBe('values.yaml (helm-values)')
    expect(lines[1]).toBe('  7:1  error  Jobs run privileged.  toml-privileged')
  })

  test('with --verbose a skipped file is one line and an unreadable file is path:line:col: message', () => {
    const output = formatStylish(resultOf([skippedFile, brokenFile]), contextOf({verbose: true}))
    expect(output.split('\n').slice(0, 3)).toEqual([
      'deploy/README.md: skipped (not a runner configuration file)',
      '',
      'deploy/broken-values.yaml:14:3: Unexpected end of flow mapping.',
    ])
    expect(output).toContain('1 file could not be read')
  })

  test('without --verbose all skipped files are one line, counted by reason', () => {
    const manifests = Array.from({length: 200}, (_, index) => ({...skippedFile, path: `k8s/manifest-${index}.yaml`}))
    const empty = {...skippedFile, path: 'empty.yaml', skipped: 'empty file'}
    const output = formatStylish(resultOf([valuesFile, ...manifests, empty]), contextOf())
    expect(output).not.toContain('manifest-')
    const skippedLines = output.split('\n').filter((line) => line.startsWith('Skipped'))
    expect(skippedLines).toEqual(['Skipped 201 files (200 × not a runner configuration file; 1 × empty file); --verbose lists them.'])
    expect(output.trimEnd().split('\n').at(-1)).toContain('in 202 files (201 skipped)')
    expect(
      formatStylish(resultOf([valuesFile, ...manifests]), contextOf({verbose: true}))
        .split('\n')
        .filter((line) => line.endsWith(': skipped (not a runner configuration file)')),
    ).toHaveLength(200)
  })

  describe("a width (the terminal's) wraps and cuts lines to it; no width leaves them whole", () => {
    const widths = [40, 60, 80, 100]
    test.each(widths)('every line fits in %i columns, plain and coloured, and wrapping loses no words', (width) => {
      for (const color of [false, true]) {
        const output = formatStylish(sampleResult, contextOf({color, verbose: true, width} as object))
        for (const line of stripAnsi(output).split('\n')) expect([...line].length).toBeLessThanOrEqual(width)
        for (const line of output.split('\n')) expect(line).not.toMatch(/\s$/)
        const words = (text: string) =>
          stripAnsi(text)
            .split(/\s+/)
            .filter((word) => word !== '' && !word.includes('…'))
        const wide = formatStylish(sampleResult, contextOf({verbose: true}))
        // Only the file headers' details may be cut; every word of the findings, capacity and summary stays.
        const headerless = (text: string) =>
          words(
            text
              .split('\n')
              .filter((line) => !/\((helm-|config-)/.test(stripAnsi(line)))
              .join('\n'),
          )
        expect(headerless(output).sort()).toEqual(headerless(wide).sort())
      }
    })

    test('a long message continues under its own column, and the rule id stays on the first line', () => {
      const output = formatStylish(resultOf([valuesFile]), contextOf({width: 70} as object))
      const lines = output.split('\n')
      const first = lines.findIndex((line) => line.startsWith('   3:1'))
      expect(lines[first]).toMatch(/values-runner-token-plain$/)
      const messageColumn = lines[first]!.indexOf('runnerToken')
      expect(lines[first + 1]!.search(/\S/)).toBe(messageColumn)
    })

    test('a path longer than the width stays whole and alone on its line; every other line still fits', () => {
      const deepPath = `/builds/platform/${'nested/'.repeat(6)}gitlab-runner-values.yaml`
      const output = stripAnsi(formatStylish(resultOf([{...valuesFile, path: deepPath}]), contextOf({width: 50} as object)))
      const lines = output.split('\n')
      expect(lines).toContain(deepPath)
      for (const line of lines.filter((text) => text !== deepPath)) expect([...line].length).toBeLessThanOrEqual(50)
      const shortRoom = stripAnsi(formatStylish(resultOf([{...valuesFile, path: 'x'.repeat(47)}]), contextOf({width: 50} as object))).split(
        '\n',
      )
      expect(shortRoom).toContain('x'.repeat(47))
    })

    test('without a width the output is the unwrapped report, however long its lines', () => {
      const output = formatStylish(sampleResult, contextOf())
      expect(Math.max(...output.split('\n').map((line) => line.length))).toBeGreaterThan(150)
      expect(output).toBe(expected('stylish.txt'))
    })
  })

  test('a file that failed part-way still shows the findings it has', () => {
    const partial = {...tomlFile, error: {message: 'Invalid TOML: duplicate key "concurrent".', line: 9, column: 1}}
    const output = formatStylish(resultOf([partial]), contextOf())
    expect(output).toMatch(
      /^\.\/config\.toml:9:1: Invalid TOML: duplicate key "concurrent"\.\n\.\/config\.toml \(config-toml, runner 17\.6\.0\)\n {2}14:3 {2}warning/,
    )
  })

  test('the capacity line shows every term it is made of', () => {
    const line = (capacity: Capacity) =>
      formatStylish(resultOf([{...valuesFile, findings: [], capacity}]), contextOf())
        .split('\n')
        .find((text) => text.startsWith('  Capacity:'))
    expect(line(valuesCapacity)).toBe(
      '  Capacity: 2 manager replicas × min(concurrent 10, Σ limit —) = 20 concurrent jobs; per ' +
        'job requests 1.5 CPU / 2 GiB, limits 2 CPU / —; at most 30 CPU / 40 GiB requested',
    )
    expect(
      line({
        ...valuesCapacity,
        managerReplicas: 1,
        replicasSource: 'default',
        concurrent: 1,
        runnerLimitSum: 3,
        maxConcurrentJobs: 1,
        perJobRequests: {cpuMillicores: 250, memoryBytes: 0},
        perJobLimits: {cpuMillicores: null, memoryBytes: 512 * 1024 ** 2},
        totalRequests: null,
      }),
    ).toBe(
      '  Capacity: 1 manager replica (chart default) × min(concurrent 1, Σ limit 3) = 1 concurrent ' +
        'job; per job requests 0.25 CPU / 0 B, limits — / 512 MiB',
    )
    expect(line({...valuesCapacity, replicasSource: 'hpa.maxReplicas', managerReplicas: 5, maxConcurrentJobs: null})).toContain(
      '5 manager replicas (hpa.maxReplicas) × min(concurrent 10, Σ limit —) = no computable maximum of concurrent jobs',
    )
  })
})
