import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {loadRules} from '../../src/lint/rule.js'
import {DEFAULT_MAX_FILE_BYTES, lint} from '../../src/lint/run.js'

// What lint says about the corpus of real users' files, line by line. A refactoring must leave it unchanged; a rule
// change shows here as a diff to review, then `UPDATE_GOLDEN=1` rewrites the file and the commit explains each line.

const ROOT = process.cwd()
const CORPUS = join(ROOT, 'test/fixtures/corpus')
const GOLDEN = join(ROOT, 'test/fixtures/corpus-findings.txt')

async function corpusFindings(): Promise<string[]> {
  const result = await lint({
    paths: [CORPUS],
    cwd: ROOT,
    failOn: 'none',
    inlineConfig: true,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    maxFiles: 10_000,
    readStdin: async () => '',
    rules: await loadRules(),
  })
  return result.files.flatMap((file) => {
    const path = relative(ROOT, file.path)
    const skipped = file.skipped ? ` skipped: ${file.skipped}` : ''
    const error = file.error ? ` error ${file.error.line}:${file.error.column} ${file.error.message}` : ''
    const head = `${path} [${file.kind}]${skipped}${error}`
    const findings = file.findings.map(
      (f) => `  ${f.line}:${f.column} ${f.severity} ${f.ruleId}${f.suppressed ? ' (suppressed)' : ''} ${f.pointer} ${f.message}`,
    )
    return [head, ...findings]
  })
}

test('lint findings over the corpus match test/fixtures/corpus-findings.txt', async () => {
  const actual = await corpusFindings()
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${actual.join('\n')}\n`)
  const expected = readFileSync(GOLDEN, 'utf8').trimEnd().split('\n')
  const missing = expected.filter((line) => !actual.includes(line))
  const added = actual.filter((line) => !expected.includes(line))
  expect({missing, added}).toEqual({missing: [], added: []})
  expect(actual).toEqual(expected)
}, 120_000)
