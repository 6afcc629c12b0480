#!/usr/bin/env node
// CommonJS on purpose: lint runs on every merge request, and a CommonJS entry that loads a CommonJS bundle never
// starts Node's ESM loader or builds ESM facades of node:fs and node:util (about 10 ms of a 25 ms budget).
const {enableCompileCache} = require('node:module')
const {join} = require('node:path')

enableCompileCache?.()

const argv = process.argv.slice(2)
const wantsHelp = argv.some((a) => a === '--help' || a === '-h')

async function main() {
  // The fast path skips oclif's start-up unless lint needs help or oclif's messages for unusual flags.
  if (argv[0] === 'lint' && !wantsHelp) {
    const bundlePath = join(__dirname, '..', 'dist', 'lint-bundle', 'fast-entry.cjs')
    // RUNNER_DOCTOR_NO_CODE_CACHE=1 loads the bundle plainly (to compare, or to rule the cache out).
    const bundle = process.env.RUNNER_DOCTOR_NO_CODE_CACHE
      ? {exports: require(bundlePath), saveCache() {}}
      : require('../dist/startup/code-cache.cjs').requireWithCodeCache(bundlePath)
    if (await bundle.exports.runLintFast(argv.slice(1))) {
      bundle.saveCache()
      return
    }
  }
  const {execute} = await import('@oclif/core')
  // The project root, not this file: oclif looks for the root package.json upward from here.
  await execute({dir: join(__dirname, '..')})
}

main().catch((error) => {
  // A clone without `npm ci` (which builds) has no dist/: say what to run rather than which module is missing.
  const notBuilt = ['MODULE_NOT_FOUND', 'ENOENT'].includes(error?.code) && /\bdist[\\/]/.test(String(error?.message))
  const message = notBuilt
    ? 'dist/ is missing or incomplete: run `npm ci` (or `npm run build`) first.'
    : String(error?.message ?? error).split('\n')[0]
  process.stderr.write(`runner-doctor: ${message}\n`)
  process.exitCode = 2
})
