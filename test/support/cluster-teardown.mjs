// Jest globalTeardown: stops the test cluster this run started (by PID, see test/cluster/cluster.mjs down).
// A cluster named by RD_TEST_CLUSTER_DIR was started by hand and is left running.
import {spawnSync} from 'node:child_process'
import {existsSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'

export default function teardown() {
  if (process.env.RD_TEST_CLUSTER_DIR || !process.env.RD_TEST_RUN_ID) return
  const repo = resolve(import.meta.dirname, '..', '..')
  const dir = join(repo, '.cache', 'test-cluster', process.env.RD_TEST_RUN_ID)
  if (!existsSync(dir)) return
  const result = spawnSync(process.execPath, [join(repo, 'test', 'cluster', 'cluster.mjs'), 'down', '--dir', dir], {stdio: 'inherit'})
  if (result.status !== 0) throw new Error(`stopping the test cluster in ${dir} failed`)
  rmSync(dir, {recursive: true, force: true})
  rmSync(`${dir}.lock`, {force: true})
}
