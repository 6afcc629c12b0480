import {FORMAT_NAMES, formatters} from '../../src/formatters/index.js'
import type {Finding, LintResult} from '../../src/lint/types.js'
import {contextOf, resultOf, valuesFile} from './sample-result.js'

/*
 * The engine keeps secret values out of findings; formatters must add nothing of their own. Each
 * format is given a finding whose message names a token field, plus a secret smuggled in places a
 * formatter has no business reading: an extra property on the finding and on the file, and the
 * environment. The message must come out verbatim and the secret never.
 */
const SECRET = 'glrt-t3_FAKEtokenZZ9xQ7vN2mKpL'
const MESSAGE = 'runnerToken holds a runner authentication token in plain text; the value is not shown.'

function poisonedResult(): LintResult {
  const tokenFinding = {
    ...valuesFile.findings[1]!,
    message: MESSAGE,
    rawValue: SECRET,
    context: {runnerToken: SECRET},
  } as Finding
  const file = {...valuesFile, findings: [tokenFinding], source: `runnerToken: ${SECRET}\n`}
  return resultOf([file])
}

describe('formatters print no secret', () => {
  const saved = process.env.CI_RUNNER_TOKEN
  beforeAll(() => {
    process.env.CI_RUNNER_TOKEN = SECRET
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.CI_RUNNER_TOKEN
    else process.env.CI_RUNNER_TOKEN = saved
  })

  test.each([...FORMAT_NAMES])('%s prints the message verbatim and nothing else from the input', (name) => {
    const output = formatters[name](poisonedResult(), contextOf({verbose: true}))
    expect(output).toContain(MESSAGE)
    expect(output).not.toContain(SECRET)
    expect(output).not.toContain('t3_FAKEtoken')
  })
})
