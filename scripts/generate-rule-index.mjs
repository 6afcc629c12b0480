#!/usr/bin/env node
// Writes src/lint/rules/index.ts from rules/*.yaml: every rule whose metadata has no JSON-Schema check is code, and
// its module src/lint/rules/<id>.ts is imported here by its id. A rule without its module, or a module without its
// metadata, therefore fails the build (tsc cannot resolve the import; this script refuses the orphan).
// `--check` only compares, for the test suite and CI.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {parse} from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const rulesDir = join(root, 'rules')
const modulesDir = join(root, 'src/lint/rules')
const indexFile = join(modulesDir, 'index.ts')

const codeRules = []
for (const file of readdirSync(rulesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  const meta = parse(readFileSync(join(rulesDir, file), 'utf8'))
  const check = meta?.check ?? {}
  if (!('schema' in check)) codeRules.push(file.slice(0, -'.yaml'.length))
}

const known = new Set(codeRules)
const orphans = readdirSync(modulesDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -'.ts'.length))
  .filter((id) => !known.has(id))
if (orphans.length > 0) {
  process.stderr.write(`src/lint/rules/${orphans[0]}.ts has no metadata: add rules/${orphans[0]}.yaml or rename the module.\n`)
  process.exit(1)
}

const identifier = (id) => `rule_${id.replaceAll('-', '_')}`
const text = [
  '// Generated from rules/*.yaml by scripts/generate-rule-index.mjs (run by `npm run build`): do not edit.',
  "import type {RuleModule} from '../define-rule.js'",
  ...codeRules.map((id) => `import ${identifier(id)} from './${id}.js'`),
  '',
  '/** The code of every rule whose metadata has no JSON-Schema check, by rule id. */',
  'export const RULE_MODULES: Readonly<Record<string, RuleModule>> = {',
  ...codeRules.map((id) => `  '${id}': ${identifier(id)},`),
  '}',
  '',
].join('\n')

if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(indexFile, 'utf8')
  } catch {}
  if (current !== text) {
    process.stderr.write('src/lint/rules/index.ts is out of date: run node scripts/generate-rule-index.mjs.\n')
    process.exit(1)
  }
} else {
  writeFileSync(indexFile, text)
}
