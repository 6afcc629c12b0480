import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {LintInput} from './harness.js'
import {applyMutations, type Mutation} from './mutations.js'
import {loadSeeds, REPO_ROOT} from './seeds.js'

export const TRUST_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'trust')

/**
 * A shrunk counterexample too large to keep as bytes, kept as the recipe that rebuilds it: a named seed and
 * the fuzzer's mutations, or literal parts (repeated, `{i}` numbered).
 */
interface Recipe {
  found: string
  seed?: string
  mutations?: Mutation[]
  parts?: Array<{text: string; repeat?: number; numbered?: boolean}>
}

function build(recipe: Recipe, name: string): Buffer {
  if (recipe.parts) {
    return Buffer.from(
      recipe.parts
        .map((p) => Array.from({length: p.repeat ?? 1}, (_, i) => (p.numbered ? p.text.replaceAll('{i}', String(i)) : p.text)).join(''))
        .join(''),
    )
  }
  const seed = loadSeeds().find((s) => s.name === recipe.seed)
  if (!seed) throw new Error(`${name}: seed ${recipe.seed} is not among the fuzz seeds.`)
  return applyMutations(Buffer.from(seed.text), recipe.mutations ?? [])
}

/** Every regression fixture as an input: files as they are, recipes rebuilt. */
export function trustFixtures(): LintInput[] {
  return readdirSync(TRUST_FIXTURES)
    .sort()
    .map((file) => {
      const path = join(TRUST_FIXTURES, file)
      if (!file.endsWith('.case.json')) return {name: file, bytes: readFileSync(path)}
      const recipe = JSON.parse(readFileSync(path, 'utf8')) as Recipe
      return {name: file.replace(/\.case\.json$/, recipe.seed?.endsWith('.toml') ? '.toml' : '.yaml'), bytes: build(recipe, file)}
    })
}
