import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

// ESLint (typescript-eslint recommended, eslint.config.js) over the whole repository, as `npx eslint .` runs it.
test('eslint reports no problem', () => {
  const run = spawnSync(join(process.cwd(), 'node_modules/.bin/eslint'), ['.'], {encoding: 'utf8'})
  expect(run.error).toBeUndefined()
  // The report itself, so a failure shows each file:line and rule.
  expect(run.stdout.trim()).toBe('')
  expect(run.status).toBe(0)
}, 180_000)

// Prettier (.prettierrc.json) over the code, as `npx prettier --check .` runs it: the files it would change.
test('prettier would change no file', () => {
  const run = spawnSync(join(process.cwd(), 'node_modules/.bin/prettier'), ['--list-different', '.'], {encoding: 'utf8'})
  expect(run.error).toBeUndefined()
  expect(run.stdout.trim().split('\n').filter(Boolean)).toEqual([])
}, 180_000)
