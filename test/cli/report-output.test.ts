// How lint writes its report where it is not a terminal (src/commands/lint/report-output.ts): all of it and in order,
// whether the reader is slow, the pipe is non-blocking or the device refuses it, as Node's stdout stream did.
import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const cli = join(root, 'bin', 'run.cjs')
const example = join(root, 'examples', 'gitlab-runner-values.yaml')

/** Runs node with `args`, reading its stdout only after a second, when the pipe has long been full. */
async function readLate(args: string[]): Promise<{status: number | null; stdout: string}> {
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']})
  child.stdout.pause()
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stdout.resume()
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return {status, stdout: Buffer.concat(chunks).toString('utf8')}
}

test('a reader that waits gets the whole report, the same as the file lint writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-report-output-'))
  // Enough files for a JSON report several times a pipe's buffer.
  for (let index = 0; index < 40; index += 1) copyFileSync(example, join(dir, `values-${index}.yaml`))
  const args = [cli, 'lint', dir, '--format', 'json']
  expect(spawnSync(process.execPath, [...args, '--output-file', join(dir, 'report.json')]).status).toBe(1)
  const piped = await readLate(args)
  expect(piped.status).toBe(1)
  expect(piped.stdout).toBe(readFileSync(join(dir, 'report.json'), 'utf8'))
}, 60_000)

test("what a full non-blocking pipe does not take goes on through Node's stream, in order", async () => {
  const module = pathToFileURL(join(root, 'dist', 'commands', 'lint', 'report-output.js')).href
  // Node keeps the stdio pipes it is given blocking; another parent may hand over a non-blocking one, as this does.
  const script = `
    import {processStdout} from ${JSON.stringify(module)}
    process.stdout._handle.setBlocking(false)
    const output = processStdout(() => {})
    for (let line = 0; line < 100; line += 1) output.write(line + ' ' + 'x'.repeat(4000) + '\\n')`
  const piped = await readLate(['--input-type=module', '-e', script])
  expect(piped.status).toBe(0)
  expect(piped.stdout).toBe(Array.from({length: 100}, (_, line) => `${line} ${'x'.repeat(4000)}\n`).join(''))
}, 20_000)

// /dev/full refuses every write with ENOSPC (Linux).
const withFullDevice = existsSync('/dev/full') ? test : test.skip

withFullDevice('a report the device refuses is named on stderr with exit code 2, as before', () => {
  const result = spawnSync('bash', ['-c', `'${process.execPath}' '${cli}' lint '${example}' > /dev/full`], {encoding: 'utf8'})
  expect(result.status).toBe(2)
  expect(result.stderr).toBe('runner-doctor: cannot write the report: ENOSPC: no space left on device, write\n')
})
