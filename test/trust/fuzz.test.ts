import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'

import {type FuzzCase, fuzzCaseArb, inputOf} from './support/cases.js'
import {CASE_TIME_LIMIT_MS, invariantViolations, lintInProcess, lintRules} from './support/harness.js'
import {loadSeeds, REPO_ROOT} from './support/seeds.js'

// The default run is part of `npm test`; `npm run test:fuzz` raises the count (FUZZ_CASES) and picks a fresh seed.
const CASES = Number(process.env.FUZZ_CASES ?? 10_000)
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20_261_129)
const seeds = loadSeeds()

/** The shrunk failing input lands where a developer can turn it into a fixture in test/fixtures/trust/. */
function keepCounterexample(c: FuzzCase, problems: string[]): string {
  const input = inputOf(c, seeds)
  const dir = join(REPO_ROOT, 'test-results', 'trust')
  mkdirSync(dir, {recursive: true})
  const path = join(dir, `counterexample-${input.name}`)
  writeFileSync(path, input.bytes)
  writeFileSync(`${path}.json`, JSON.stringify({case: c, problems}, null, 2))
  return path
}

describe('lint survives generated and mutated input', () => {
  beforeAll(async () => {
    await lintRules()
  })

  test(
    `${CASES} cases: no exception, exit 0/1/2, parseable JSON, no planted secret in any format, bounded time`,
    async () => {
      expect(seeds.length).toBeGreaterThanOrEqual(10)
      const timings: number[] = []
      const outcomes = new Map<string, number>()
      let ran = 0
      const started = performance.now()
      const property = fc.asyncProperty(fuzzCaseArb(seeds.length), async (c) => {
        ran++
        const input = inputOf(c, seeds)
        let problems: string[]
        try {
          const {result, elapsedMs} = await lintInProcess([input])
          timings.push(elapsedMs)
          const file = result.files[0]
          const outcome = `exit ${result.summary.exitCode}, ${file.error ? 'unreadable' : file.kind}`
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
          problems = await invariantViolations(result, 1)
          if (elapsedMs > CASE_TIME_LIMIT_MS) problems.push(`took ${Math.round(elapsedMs)} ms (limit ${CASE_TIME_LIMIT_MS} ms)`)
        } catch (error) {
          problems = [`lint threw: ${(error as Error).stack ?? String(error)}`]
        }
        if (problems.length > 0) throw new Error(problems.join('\n'))
      })
      const details = await fc.check(property, {numRuns: CASES, seed: SEED, endOnFailure: false})
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      timings.sort((a, b) => a - b)
      const at = (q: number) => Math.round(timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0)
      const spread = [...outcomes]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k}: ${n}`)
        .join('; ')
      process.stdout.write(
        `fuzz: ${ran} lint runs (${CASES} cases plus shrinking) in ${seconds} s; per run median ${at(0.5)} ` +
          `ms, p99 ${at(0.99)} ms, max ${at(1)} ms; seed ${SEED}\n${spread}\n`,
      )
      if (details.failed) {
        const c = details.counterexample![0]
        const where = keepCounterexample(c, [
          details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
        ])
        throw new Error(
          `Fuzz counterexample after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}), ` +
            `written to ${where}:\n` +
            `${JSON.stringify(c).slice(0, 2000)}\n` +
            (details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)),
        )
      }
      expect(details.numRuns).toBe(CASES)
    },
    Math.max(600_000, CASES * 60),
  )
})
