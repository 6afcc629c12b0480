import {CASE_TIME_LIMIT_MS, invariantViolations, lintInProcess, lintRules} from './support/harness.js'
import {trustFixtures} from './support/fixtures.js'

// Inputs the fuzzer (or a review of its findings) once broke lint with: each must keep passing every invariant.
const fixtures = trustFixtures()

// Rule crashes the fuzzer found, reported to the rule authors: lint contains them (a file error, exit 2, other files
// checked); once a rule handles the input, its fixture leaves this list and must pass like the others.
const OPEN_RULE_CRASHES = new Set<string>([])

describe('regression fixtures from fuzzing (test/fixtures/trust)', () => {
  beforeAll(async () => {
    await lintRules()
  })

  test('there are fixtures to run', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8)
  })

  test.each(fixtures.map((f) => [f.name, f] as const))(
    '%s: all invariants hold, file and stdin alike, within the time bound',
    async (_name, input) => {
      for (const viaStdin of [false, true]) {
        const {result, elapsedMs} = await lintInProcess([{...input, viaStdin}])
        expect(await invariantViolations(result, 1, {allowInternalError: OPEN_RULE_CRASHES.has(input.name)})).toEqual([])
        expect(elapsedMs).toBeLessThan(CASE_TIME_LIMIT_MS)
      }
    },
  )

  test('rebuilt counterexamples stay under the syntax-item budget, so they still reach the parsers they once broke', async () => {
    for (const input of fixtures) {
      const {result} = await lintInProcess([input])
      expect(`${input.name}: ${result.files[0].error?.message ?? ''}`).not.toMatch(/syntax items|over the .* limit/)
    }
  })

  test('a collection used as a map key is a file error at its line, not a key name printed with the token in it', async () => {
    const input = fixtures.find((f) => f.name === 'collection-key-holding-token.yaml')!
    const {result} = await lintInProcess([input])
    expect(result.files[0].error).toEqual({message: 'Map keys must be plain scalars, not collections or aliases.', line: 3, column: 1})
  })

  test('a credential nested in a value a rule quotes, or pasted as a key, is hidden in messages and pointers', async () => {
    for (const name of ['secret-in-table-where-quantity-belongs.toml', 'token-pasted-as-key.yaml']) {
      const {result} = await lintInProcess([fixtures.find((f) => f.name === name)!])
      const shown = result.files[0].findings.filter((f) => f.message.includes('(hidden)') || f.pointer.includes('(hidden)'))
      expect(shown.length).toBeGreaterThan(0)
    }
  })

  test('a NUL byte makes the file binary, named as such', async () => {
    const {result} = await lintInProcess([fixtures.find((f) => f.name === 'nul-byte-in-toml.toml')!])
    expect(result.files[0].error?.message).toBe('Binary file: not YAML or TOML.')
  })

  test('a duplicated key is still reported, at the second occurrence', async () => {
    const text = 'gitlabUrl: https://gitlab.example.com/\nrunners:\n  secret: a\n  tags: x\n  secret: b\n'
    const {result} = await lintInProcess([{name: 'dup.yaml', bytes: Buffer.from(text)}])
    expect(result.files[0].error).toEqual({message: 'Map keys must be unique', line: 5, column: 3})
  })
})
