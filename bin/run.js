#!/usr/bin/env node
import {enableCompileCache} from 'node:module'

enableCompileCache?.()

const argv = process.argv.slice(2)
// lint runs on every merge request: it skips oclif's start-up unless it needs help or oclif's flag errors.
const wantsHelp = argv.some((a) => a === '--help' || a === '-h')
let handled = false
if (argv[0] === 'lint' && !wantsHelp) {
  const {runLintFast} = await import('../dist/lint-bundle/fast-entry.js')
  handled = await runLintFast(argv.slice(1))
}
if (!handled) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
