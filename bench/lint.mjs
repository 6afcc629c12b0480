#!/usr/bin/env node
// Lint speed, measured side by side in one run (no timed unit tests):
//   1. one typical values file vs `node -e 0` on the same Node, median of paired runs (target: at most 3x),
//      also without the code cache the build writes, to show what it saves;
//   2. 1,000 files in one call (target: 300 files/s or more);
//   3. peak memory (maxRSS) of both lint runs.
// Usage: npm run build && node bench/lint.mjs [--pairs 21] [--files 1000]
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const pairs = arg('pairs', 21)
const fileCount = arg('files', 1000)
const node = process.execPath
const cli = join(root, 'bin', 'run.cjs')
const example = join(root, 'examples', 'gitlab-runner-values.yaml')
const rssHook = join(mkdtempSync(join(tmpdir(), 'rd-bench-hook-')), 'rss.mjs')
writeFileSync(rssHook, "process.on('exit', () => process.stderr.write(`\\nRD_MAX_RSS_KB=${process.resourceUsage().maxRSS}\\n`))\n")

function run(args, {rss = false, env = process.env} = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(node, rss ? ['--import', rssHook, ...args] : args, {encoding: 'utf8', maxBuffer: 1 << 28, env})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const m = /RD_MAX_RSS_KB=(\d+)/.exec(r.stderr ?? '')
  return {ms, rssKb: m ? Number(m[1]) : undefined, stdout: r.stdout}
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// One run first, so every file is in the page cache; the V8 code cache itself is written by `npm run build`.
run([cli, 'lint', example])
const base = []
const lint = []
const ratios = []
const uncached = []
const uncachedRatios = []
const noCodeCache = {...process.env, RUNNER_DOCTOR_NO_CODE_CACHE: '1'}
for (let i = 0; i < pairs; i++) {
  const a = run(['-e', '0']).ms
  const b = run([cli, 'lint', example]).ms
  const c = run([cli, 'lint', example], {env: noCodeCache}).ms
  base.push(a)
  lint.push(b)
  ratios.push(b / a)
  uncached.push(c)
  uncachedRatios.push(c / a)
}
const single = run([cli, 'lint', example], {rss: true})

const dir = mkdtempSync(join(tmpdir(), 'rd-bench-files-'))
const seeds = [
  example,
  ...readdirSync(join(root, 'examples'))
    .filter((f) => /\.(ya?ml|toml)$/.test(f))
    .map((f) => join(root, 'examples', f)),
]
for (let i = 0; i < fileCount; i++) {
  const seed = seeds[i % seeds.length]
  const sub = join(dir, String(i % 10))
  mkdirSync(sub, {recursive: true})
  // Vary each copy so no two files are identical.
  const text = readFileSync(seed, 'utf8').replace(/concurrent: \d+/, `concurrent: ${1 + (i % 40)}`)
  writeFileSync(join(sub, `values-${i}${seed.endsWith('.toml') ? '.toml' : '.yaml'}`), text)
}
const many = run([cli, 'lint', dir, '--format', 'json'], {rss: true})
const parsed = JSON.parse(many.stdout)
rmSync(dir, {recursive: true, force: true})
if (parsed.files.length !== fileCount) throw new Error(`expected ${fileCount} files in the report, got ${parsed.files.length}`)

// Worst cases within the default limits: every key unknown, so each needs a "did you mean" search and a position.
const worstDir = mkdtempSync(join(tmpdir(), 'rd-bench-worst-'))
const unknownCount = 20000
let tomlKeys = 'runners:\n  config: |\n    [[runners]]\n      executor = "kubernetes"\n      [runners.kubernetes]\n'
let valueKeys = 'runners:\n  config: ""\n'
for (let i = 0; i < unknownCount; i++) {
  tomlKeys += `        unknown_key_number_${i} = ${i}\n`
  valueKeys += `unknownValue${i}: ${i}\n`
}
writeFileSync(join(worstDir, 'unknown-toml-keys.yaml'), tomlKeys)
writeFileSync(join(worstDir, 'unknown-values-keys.yaml'), valueKeys)
const worstToml = run([cli, 'lint', join(worstDir, 'unknown-toml-keys.yaml'), '--format', 'json'])
const worstValues = run([cli, 'lint', join(worstDir, 'unknown-values-keys.yaml'), '--format', 'json'])
for (const r of [worstToml, worstValues]) {
  const findings = JSON.parse(r.stdout).files[0].findings.length
  if (findings < unknownCount) throw new Error(`expected ${unknownCount} findings, got ${findings}`)
}
rmSync(worstDir, {recursive: true, force: true})

const fmt = (n) => n.toFixed(1)
console.log(`node ${process.version}, ${pairs} paired runs`)
console.log(`node -e 0:                 median ${fmt(median(base))} ms`)
console.log(`lint one values file:      median ${fmt(median(lint))} ms`)
console.log(`ratio (median of pairs):   ${median(ratios).toFixed(2)}x   (target <= 3x)`)
console.log(
  `without the code cache:    median ${fmt(median(uncached))} ms = ${median(uncachedRatios).toFixed(2)}x   ` +
    `(RUNNER_DOCTOR_NO_CODE_CACHE=1, for comparison)`,
)
console.log(
  `lint ${fileCount} files in one call: ${fmt(many.ms)} ms = ${Math.round(fileCount / (many.ms / 1000))} files/s   (target >= 300 files/s)`,
)
console.log(`${unknownCount} unknown keys in one file: runners.config ${fmt(worstToml.ms)} ms, chart values ${fmt(worstValues.ms)} ms`)
console.log(`peak memory: one file ${Math.round(single.rssKb / 1024)} MiB, ${fileCount} files ${Math.round(many.rssKb / 1024)} MiB`)
