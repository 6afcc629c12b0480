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
