import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, scratchDir} from './support/harness.js'
import {REPO_ROOT, SEED_DIRS} from './support/seeds.js'

const DENY_NETWORK = join(REPO_ROOT, 'test', 'trust', 'support', 'deny-network.mjs')

async function runDenied(args: string[], nodeOnly = false) {
  const logFile = join(scratchDir(), `network-${process.hrtime.bigint()}.log`)
  const env = {RUNNER_DOCTOR_NETWORK_LOG: logFile}
  const run = nodeOnly
    ? await runCli([], {nodeArgs: ['--import', DENY_NETWORK, ...args], env})
    : await runCli(args, {nodeArgs: ['--import', DENY_NETWORK], env, cwd: REPO_ROOT})
  return {run, attempts: existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}
}

describe('lint never opens a network connection', () => {
  test('the guard catches what it should: fetch, a TCP connect to loopback and a DNS lookup are recorded', async () => {
    const probe =
      "try{fetch('http://127.0.0.1:9/')}catch{}; try{require('node:net').connect(9,'127.0.0.1')}catch{}; " +
      "try{require('node:dns').lookup('localhost',()=>{})}catch{}"
    const {attempts} = await runDenied(['-e', probe], true)
    expect(attempts).toMatch(/^fetch /m)
    expect(attempts).toMatch(/^net\.(connect|Socket\.connect) /m)
    expect(attempts).toMatch(/^dns\.lookup /m)
  })

  test('over the whole corpus, the examples and the fuzz regression fixtures, in every format', async () => {
    const paths = [...SEED_DIRS, 'test/fixtures/trust'].filter((d) => existsSync(join(REPO_ROOT, d)))
    const out = scratchDir()
    const {run, attempts} = await runDenied([
      'lint',
      ...paths,
      '--verbose',
      '--format',
      'stylish',
      '-o',
      join(out, 'offline.txt'),
      '--format',
      'sarif',
      '-o',
      join(out, 'offline.sarif'),
      '--format',
      'codeclimate',
      '-o',
      join(out, 'offline.codeclimate.json'),
      '--format',
      'junit',
      '-o',
      join(out, 'offline.junit.xml'),
      '--format',
      'json',
    ])
    expect(attempts).toBe('')
    expect([0, 1, 2]).toContain(run.code)
    expect(JSON.parse(run.stdout).files.length).toBeGreaterThan(40)
  })
})
