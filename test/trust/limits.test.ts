import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {aliasBomb} from './support/mutations.js'
import {type CliRun, runCli, scratchDir} from './support/harness.js'
import {REPO_ROOT} from './support/seeds.js'

const PEAK_RSS_PRELOAD = join(REPO_ROOT, 'test', 'trust', 'support', 'peak-rss.mjs')
const MEMORY_CEILING_KIB = 500 * 1024
const FIFTY_MB = 50_000_000

/** Runs the CLI with --format json and returns its peak resident memory in KiB next to the usual outcome. */
async function lintMeasured(
  args: string[],
  stdin?: Buffer,
): Promise<CliRun & {peakRssKiB: number; report: {files: Array<{path: string; error?: {message: string}}>; summary: {exitCode: number}}}> {
  const rssFile = join(scratchDir(), `rss-${process.hrtime.bigint()}`)
  const run = await runCli(['lint', ...args, '--format', 'json'], {
    stdin,
    nodeArgs: ['--import', PEAK_RSS_PRELOAD],
    env: {RUNNER_DOCTOR_PEAK_RSS_FILE: rssFile},
  })
  return {...run, peakRssKiB: Number(readFileSync(rssFile, 'utf8')), report: JSON.parse(run.stdout)}
}

/** A realistic-looking values file padded with list entries to the byte size asked for. */
function bigValues(bytes: number): Buffer {
  const head = 'gitlabUrl: https://gitlab.example.com/\nrunnerToken: glrt-SECRETSECRETSECRET123\nextraEnv:\n'
  const line = `  - name: JOB_${'X'.repeat(40)}\n`
  return Buffer.from(head + line.repeat(Math.ceil((bytes - head.length) / line.length)))
}

function expectOneLineError(run: CliRun, path: string, message: RegExp) {
  const lines = run.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `))
  expect(lines[0]).toMatch(message)
  expect(run.stderr).not.toMatch(/\n\s+at /)
  expect(run.code).toBe(2)
}

describe('limits hold with clear messages, in bounded memory', () => {
  const dir = join(scratchDir(), 'limits')
  mkdirSync(dir, {recursive: true})
  const big = join(dir, 'values-50mb.yaml')
  beforeAll(() => writeFileSync(big, bigValues(FIFTY_MB)))

  test('a 50 MB file is refused by the default 4 MiB limit without reading it, well under 500 MiB', async () => {
    const run = await lintMeasured([big])
    expectOneLineError(run, big, /File is 47\.7 MiB, over the 4 MiB limit \(raise it with --max-file-size\)\.$/)
    expect(run.report.summary.exitCode).toBe(2)
    expect(run.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
    process.stdout.write(
      `limits: 50 MB file refused in ${Math.round(run.elapsedMs)} ms, peak RSS ${Math.round(run.peakRssKiB / 1024)} MiB\n`,
    )
  })

  test('the same 50 MB on stdin is refused by the same limit, under 500 MiB', async () => {
    const run = await lintMeasured(['-'], readFileSync(big))
    expectOneLineError(run, '-', /File is larger than the 4 MiB limit/)
    expect(run.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
    process.stdout.write(
      `limits: 50 MB on stdin refused in ${Math.round(run.elapsedMs)} ms, peak RSS ${Math.round(run.peakRssKiB / 1024)} MiB\n`,
    )
  })

  test(
    'with the size limit raised to 100Mi, the 50 MB file is refused by the syntax-item budget ' + 'instead of exhausting memory',
    async () => {
      const run = await lintMeasured([big, '--max-file-size', '100Mi'])
      expectOneLineError(
        run,
        big,
        /File has [\d,]+ lines, list entries, quotes and other syntax items, over the [\d,]+ that --max-file-size 100 MiB allows/,
      )
      expect(run.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
      process.stdout.write(
        `limits: 50 MB file with --max-file-size 100Mi refused in ${Math.round(run.elapsedMs)} ms, ` +
          `peak RSS ${Math.round(run.peakRssKiB / 1024)} MiB\n`,
      )
    },
  )

  test('a file just over 4 MiB is read once --max-file-size is raised (bytes or a quantity)', async () => {
    const path = join(dir, 'comments-5mb.yaml')
    const comment = `# ${'runner configuration notes '.repeat(3)}\n`
    writeFileSync(
      path,
      'gitlabUrl: https://gitlab.example.com/\nrunners:\n  secret: runner-secret\n' + comment.repeat(Math.ceil((5 << 20) / comment.length)),
    )
    const refused = await lintMeasured([path])
    expectOneLineError(refused, path, /File is 5\.0 MiB, over the 4 MiB limit/)
    for (const limit of ['8Mi', String(8 << 20)]) {
      const read = await lintMeasured([path, '--max-file-size', limit])
      expect(read.report.files[0].error).toBeUndefined()
      expect([0, 1]).toContain(read.code)
      expect(read.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
    }
  })

  test('a device that never ends (/dev/zero) is refused after reading one byte past the limit', async () => {
    const run = await lintMeasured(['/dev/zero', '--max-file-size', '1Mi'])
    expectOneLineError(run, '/dev/zero', /File is larger than the 1 MiB limit/)
    expect(run.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
  })

  test('a dense file under the byte limit is refused by the syntax-item budget, on stdin too', async () => {
    const dense = Buffer.from('gitlabUrl: https://gitlab.example.com/\nrunnerToken: x\nlist: [' + '1,'.repeat(1_000_000) + '1]\n')
    for (const args of [[join(dir, 'dense.yaml')], ['-']]) {
      if (args[0] !== '-') writeFileSync(args[0], dense)
      const run = await lintMeasured(args, args[0] === '-' ? dense : undefined)
      expectOneLineError(
        run,
        args[0],
        /File has 1,000,0\d\d lines, list entries, quotes and other syntax items, over the 43,690 that --max-file-size 4 MiB allows \(one per 96 bytes\); raise it to read this file\.$/,
      )
      expect(run.elapsedMs).toBeLessThan(10_000)
    }
  })

  test('a YAML alias bomb is refused fast, from a file and from stdin', async () => {
    const bomb = Buffer.from(`${aliasBomb(9)}\ngitlabUrl: https://gitlab.example.com/\nrunnerToken: x\n`)
    const path = join(dir, 'alias-bomb.yaml')
    writeFileSync(path, bomb)
    for (const args of [[path], ['-']]) {
      const run = await lintMeasured(args, args[0] === '-' ? bomb : undefined)
      expectOneLineError(run, args[0], /YAML aliases expand too far \(more than 100 alias nodes\); refusing a possible alias bomb\.$/)
      expect(run.elapsedMs).toBeLessThan(10_000)
      expect(run.peakRssKiB).toBeLessThan(MEMORY_CEILING_KIB)
    }
  })

  test('nesting deeper than 200 levels is refused in YAML (block and flow) and TOML (tables and arrays)', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'deep-block.yaml',
        'gitlabUrl: x\nrunnerToken: y\n' + Array.from({length: 1200}, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' leaf\n',
        /YAML nesting is deeper than 200 levels\.$/,
      ],
      [
        'deep-flow.yaml',
        `gitlabUrl: x\nrunnerToken: y\ndeep: ${'['.repeat(5000)}x${']'.repeat(5000)}\n`,
        /YAML nesting is deeper than 200 levels\.$/,
      ],
      [
        'deep-tables.toml',
        'concurrent = 1\n[[runners]]\n' +
          Array.from({length: 210}, (_, i) => `[${Array.from({length: i + 1}, (__, j) => `t${j}`).join('.')}]`).join('\n'),
        /TOML nesting is deeper than 200 levels\.$/,
      ],
      ['deep-array.toml', `concurrent = 1\n[[runners]]\nx = ${'['.repeat(5000)}1${']'.repeat(5000)}\n`, /nested/i],
    ]
    for (const [name, text, message] of cases) {
      const path = join(dir, name)
      writeFileSync(path, text)
      const run = await lintMeasured([path])
      expectOneLineError(run, path, message)
      expect(run.elapsedMs).toBeLessThan(10_000)
    }
  })

  test('more files than --max-files stops the run with a usage error before reading any', async () => {
    const many = join(dir, 'many')
    mkdirSync(many, {recursive: true})
    for (let i = 0; i < 12; i++)
      writeFileSync(join(many, `values-${i}.yaml`), 'gitlabUrl: https://gitlab.example.com/\nrunners:\n  secret: s\n')
    const refused = await runCli(['lint', many, '--max-files', '10', '--format', 'json'])
    expect(refused.code).toBe(2)
    expect(refused.stderr.trim()).toBe('runner-doctor: More than 10 files to lint; name fewer paths or raise --max-files.')
    const allowed = await runCli(['lint', many, '--max-files', '12', '--format', 'json'])
    expect(JSON.parse(allowed.stdout).files).toHaveLength(12)
  })
})
