import {spawnSync} from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

// The lint bundle is loaded through a V8 code cache taken after a warm run (src/startup/code-cache.cts); these check
// that the cache is used when it fits, and never changes a result when it is missing, corrupt or stale.
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const loader = join(root, 'dist', 'startup', 'code-cache.cjs')
const example = join(root, 'examples', 'gitlab-runner-values.yaml')
const {codeCachePath} = createRequire(import.meta.url)(loader) as {codeCachePath(bundle: string): string}

/** A copy of the built layout the bundle reads from (catalog and validators beside it, rules and package.json above). */
function bundleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rd-code-cache-'))
  mkdirSync(join(dir, 'dist', 'lint-bundle'), {recursive: true})
  copyFileSync(join(root, 'dist', 'lint-bundle', 'fast-entry.cjs'), join(dir, 'dist', 'lint-bundle', 'fast-entry.cjs'))
  for (const file of ['rules.catalog.json', 'rules.validators.cjs']) copyFileSync(join(root, 'dist', file), join(dir, 'dist', file))
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
  symlinkSync(join(root, 'rules'), join(dir, 'rules'))
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return join(dir, 'dist', 'lint-bundle', 'fast-entry.cjs')
}

/** One lint in a fresh Node process, as bin/run.cjs does it; returns the JSON report and how the cache was used. */
function lintThroughCache(bundle: string): {
  report: {files: Array<{findings: Array<{ruleId: string; line: number; fingerprint: string}>}>}
  cache: string
} {
  const script = `
    const {requireWithCodeCache} = require(${JSON.stringify(loader)})
    const bundle = requireWithCodeCache(${JSON.stringify(bundle)})
    bundle.exports.runLintFast([${JSON.stringify(example)}, '--format', 'json']).then(() => {
      bundle.saveCache()
      process.stderr.write('CACHE=' + bundle.cache + '\\n')
    })`
  const r = spawnSync(process.execPath, ['-e', script], {encoding: 'utf8', timeout: 60_000})
  expect(r.status).toBe(1)
  const cache = /CACHE=(\w+)/.exec(r.stderr)?.[1]
  if (!cache) throw new Error(`no cache state reported: ${r.stderr}`)
  return {report: JSON.parse(r.stdout), cache}
}

const findingsOf = (report: ReturnType<typeof lintThroughCache>['report']) =>
  report.files.flatMap((f) => f.findings.map((x) => `${x.line} ${x.ruleId} ${x.fingerprint}`))

test('the build leaves a code cache for this Node beside the lint bundle', () => {
  const bundle = join(root, 'dist', 'lint-bundle', 'fast-entry.cjs')
  expect(existsSync(codeCachePath(bundle))).toBe(true)
})

test('the bundle has no dynamic import(), which a vm.Script without an ESM loader could not run', () => {
  const source = readFileSync(join(root, 'dist', 'lint-bundle', 'fast-entry.cjs'), 'utf8')
  expect(source.match(/\bimport\s*\(/g) ?? []).toEqual([])
})

test('the bundle is ASCII: one other character makes V8 keep all of it as two-byte text, slower to read and twice the size', () => {
  const source = readFileSync(join(root, 'dist', 'lint-bundle', 'fast-entry.cjs'))
  expect(source.findIndex((byte) => byte > 0x7f)).toBe(-1)
})

test('a missing cache is written after the run and accepted by the next one, with the same findings', () => {
  const bundle = bundleCopy()
  const first = lintThroughCache(bundle)
  expect(first.cache).toBe('absent')
  expect(existsSync(codeCachePath(bundle))).toBe(true)
  const second = lintThroughCache(bundle)
  expect(second.cache).toBe('accepted')
  expect(findingsOf(second.report)).toEqual(findingsOf(first.report))
  expect(findingsOf(first.report).length).toBeGreaterThan(5)
})

test('a corrupt cache is rejected, the findings do not change, and it is replaced by a good one', () => {
  const bundle = bundleCopy()
  const clean = lintThroughCache(bundle)
  writeFileSync(codeCachePath(bundle), Buffer.alloc(4096, 0x5a))
  const corrupt = lintThroughCache(bundle)
  expect(corrupt.cache).toBe('rejected')
  expect(findingsOf(corrupt.report)).toEqual(findingsOf(clean.report))
  expect(lintThroughCache(bundle).cache).toBe('accepted')
})

test('a rebuilt bundle never meets the cache of the one before it', () => {
  const bundle = bundleCopy()
  lintThroughCache(bundle)
  const before = codeCachePath(bundle)
  appendFileSync(bundle, '\n// rebuilt\n')
  expect(codeCachePath(bundle)).not.toBe(before)
  expect(lintThroughCache(bundle).cache).toBe('absent')
  // No temporary files are left behind by the writes.
  expect(readdirSync(join(bundle, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([])
})
