import fc from 'fast-check'
import {stringify as stringifyToml} from 'smol-toml'
import {stringify as stringifyYaml} from 'yaml'

import type {LintInput} from './harness.js'
import {applyMutations, type Mutation, mutationArb} from './mutations.js'
import type {Seed} from './seeds.js'
import {PLANTED_SECRET} from './secrets.js'
import {type FieldReplacement, replaceField, replacementArb} from './structural.js'

/** A realistic seed changed field by field, then byte by byte. */
export interface MutatedSeedCase {
  source: 'seed'
  seed: number
  replacements: FieldReplacement[]
  mutations: Mutation[]
  viaStdin: boolean
}

/** A document made up from nothing but the shape lint detects (values with runners.config, or config.toml). */
export interface GeneratedCase {
  source: 'generated'
  asToml: boolean
  values: Record<string, unknown>
  runner: Record<string, unknown>
  mutations: Mutation[]
  viaStdin: boolean
}

export type FuzzCase = MutatedSeedCase | GeneratedCase

const smallObject = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'privileged',
      'image',
      'cpu_limit',
      'memory_request',
      'limit',
      'concurrent',
      'replicas',
      'token',
      'namespace',
      'executor',
    ),
    fc.string({maxLength: 6}),
  ),
  fc.oneof(fc.boolean(), fc.integer(), fc.double({noNaN: true}), fc.string({maxLength: 10}), fc.array(fc.integer(), {maxLength: 3})),
  {maxKeys: 6},
)

export function fuzzCaseArb(seedCount: number): fc.Arbitrary<FuzzCase> {
  // Most cases go through stdin (no disk round trip, same decoding); a quarter through a real file read.
  const stdin = fc.oneof({arbitrary: fc.constant(true), weight: 3}, {arbitrary: fc.constant(false), weight: 1})
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        source: fc.constant('seed' as const),
        seed: fc.nat({max: seedCount - 1}),
        replacements: fc.array(replacementArb, {maxLength: 3}),
        mutations: fc.array(mutationArb, {maxLength: 4}),
        viaStdin: stdin,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        source: fc.constant('generated' as const),
        asToml: fc.boolean(),
        values: smallObject,
        runner: smallObject,
        mutations: fc.array(mutationArb, {maxLength: 2}),
        viaStdin: stdin,
      }),
    },
  )
}

function generatedText(c: GeneratedCase): string {
  const runner = {...c.runner, token: PLANTED_SECRET, executor: 'kubernetes', kubernetes: {...c.runner}}
  const toml = stringifyToml({concurrent: 4, runners: [runner]})
  if (c.asToml) return toml
  return stringifyYaml({gitlabUrl: 'https://gitlab.example.com/', runnerToken: PLANTED_SECRET, ...c.values, runners: {config: toml}})
}

export function inputOf(c: FuzzCase, seeds: Seed[]): LintInput {
  if (c.source === 'generated') {
    return {
      name: c.asToml ? 'generated.toml' : 'generated.yaml',
      bytes: applyMutations(Buffer.from(generatedText(c)), c.mutations),
      viaStdin: c.viaStdin,
    }
  }
  const seed = seeds[c.seed]
  const text = c.replacements.reduce((t, r) => replaceField(t, seed.isToml, r) ?? t, seed.text)
  return {name: seed.name.split('/').pop()!, bytes: applyMutations(Buffer.from(text), c.mutations), viaStdin: c.viaStdin}
}
