import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {plantSecrets, SECRET_SEEDS} from './secrets.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface Seed {
  name: string
  text: string
  isToml: boolean
}

/** Realistic files the fuzzer starts from; the corpus and rule fixtures grow on their own and are picked up here. */
export const SEED_DIRS = ['examples', 'test/fixtures/corpus', 'test/fixtures/rules', 'test/fixtures/ci-component']

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full, out)
    else if (/\.(ya?ml|toml|tpl)$/.test(name)) out.push(full)
  }
  return out
}

function looksLikeToml(name: string, text: string): boolean {
  return (
    name.endsWith('.toml') ||
    /^\s*(\[\[?runners|concurrent\s*=)/m.test(text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '')
  )
}

export function loadSeeds(): Seed[] {
  const seeds: Seed[] = Object.entries(SECRET_SEEDS).map(([name, text]) => ({
    name: `planted/${name}`,
    text,
    isToml: name.endsWith('.toml'),
  }))
  for (const dir of SEED_DIRS) {
    for (const file of walk(join(REPO_ROOT, dir))) {
      const text = readFileSync(file, 'utf8')
      if (text.length > 200_000) continue
      const name = relative(REPO_ROOT, file)
      seeds.push({name, text: plantSecrets(text), isToml: looksLikeToml(name, text)})
    }
  }
  return seeds
}
