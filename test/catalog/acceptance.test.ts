import {fileURLToPath} from 'node:url'

import {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, lint} from '../../src/lint/run.js'

const FILE = fileURLToPath(new URL('./fixtures/acceptance.toml', import.meta.url))

// Issue 3's acceptance case: every mistake in the file is named at its own line, typos with the right key.
const EXPECTED: Array<{line: number; ruleId: string; includes: string}> = [
  {line: 8, ruleId: 'toml-dind-tls-port-mismatch', includes: '2375'},
  {line: 12, ruleId: 'toml-unknown-key', includes: 'Did you mean privileged?'},
  {line: 13, ruleId: 'toml-request-above-limit', includes: 'requests 2 cpu'},
  {line: 16, ruleId: 'toml-invalid-quantity', includes: '"1GB"'},
  {line: 17, ruleId: 'toml-unknown-key', includes: 'Did you mean helper_cpu_limit?'},
  {line: 18, ruleId: 'toml-unknown-key', includes: 'Did you mean poll_timeout?'},
  {line: 19, ruleId: 'toml-dns-policy-invalid', includes: 'cluster-first'},
  {line: 20, ruleId: 'toml-pull-policy-invalid', includes: 'if-not-present'},
  {line: 21, ruleId: 'toml-removed-key', includes: 'pod_termination_grace_period_seconds'},
  {line: 22, ruleId: 'toml-unknown-table', includes: 'Did you mean [runners.kubernetes]?'},
]

describe('acceptance config.toml', () => {
  it('names every mistake at its line', async () => {
    const result = await lint({
      paths: [FILE],
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      failOn: 'error',
      inlineConfig: true,
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      maxFiles: DEFAULT_MAX_FILES,
      readStdin: () => Promise.reject(new Error('no stdin')),
    })
    const findings = result.files[0].findings
    for (const want of EXPECTED) {
      const hit = findings.find((f) => f.line === want.line && f.ruleId === want.ruleId)
      expect({want, message: hit?.message}).toEqual({want, message: expect.stringContaining(want.includes)})
    }
    // No finding for these lines points anywhere else: each mistake is reported once, at its own key.
    expect(findings.filter((f) => f.ruleId === 'toml-unknown-key').map((f) => f.line)).toEqual([12, 17, 18])
  })
})
