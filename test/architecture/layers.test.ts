import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

// Runs dependency-cruiser with the project's rules (.dependency-cruiser.cjs): no import points up a layer, no cycle.
test('imports point down the layers and form no cycle', () => {
  const bin = join(process.cwd(), 'node_modules/.bin/depcruise')
  const run = spawnSync(bin, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {encoding: 'utf8'})
  expect(run.error).toBeUndefined()
  const violations = run.stdout.split('\n').filter((line) => /^\s*(error|warn)\s/.test(line))
  expect(violations).toEqual([])
  expect(run.status).toBe(0)
}, 60_000)
