import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {loadRules} from '../../src/lint/rule.js'
import {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, lint} from '../../src/lint/run.js'

// values-legacy-privileged reports a warning on charts that ignore the key (its own softer variant); a severity the
// user sets in .runner-doctor.yaml must still win over that variant.
const FIXTURE = 'test/fixtures/rules/values-legacy-privileged/invalid/values.yaml'

async function severityWith(config: string | undefined): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rd-severity-'))
  copyFileSync(FIXTURE, join(dir, 'values.yaml'))
  if (config !== undefined) writeFileSync(join(dir, '.runner-doctor.yaml'), config)
  const result = await lint({
    paths: [join(dir, 'values.yaml')],
    cwd: dir,
    failOn: 'error',
    inlineConfig: true,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    maxFiles: DEFAULT_MAX_FILES,
    readStdin: async () => '',
    rules: await loadRules(),
  })
  return result.files[0].findings.filter((f) => f.ruleId === 'values-legacy-privileged').map((f) => f.severity)
}

test("a rule's own severity variant applies by default", async () => {
  expect(await severityWith(undefined)).toEqual(['warning'])
})

test('a severity set in .runner-doctor.yaml overrides every finding of the rule, its variants too', async () => {
  expect(await severityWith('rules:\n  values-legacy-privileged: info\n')).toEqual(['info'])
  expect(await severityWith('rules:\n  values-legacy-privileged: error\n')).toEqual(['error'])
})
