import {execFile} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Both src/probe/agent and dist/probe/agent sit three levels below the package root. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The bundled check program, produced by `npm run build:agent` (part of `npm run build`). */
export const AGENT_BUNDLE_PATH = join(PACKAGE_ROOT, 'dist', 'probe', 'agent.bundle.cjs')
export const AGENT_ENTRY_SOURCE = join(PACKAGE_ROOT, 'src', 'probe', 'agent', 'main.ts')
/** Linux caps one argv string at 128 KiB; the bundle travels as a `node -e` argument. */
export const AGENT_BUNDLE_MAX_BYTES = 120 * 1024

/**
 * The check program's source as one string, ready for `node -e`. In a checkout with esbuild (development and
 * tests) it is built fresh from src so it never lags behind; an installed package reads the shipped bundle.
 */
export async function buildAgentSource(): Promise<string> {
  if (existsSync(AGENT_ENTRY_SOURCE) && existsSync(join(PACKAGE_ROOT, 'node_modules', 'esbuild', 'package.json'))) {
    return checkedSize(await bundleInChildProcess())
  }
  if (!existsSync(AGENT_BUNDLE_PATH)) throw new Error(`The probe check program is missing at ${AGENT_BUNDLE_PATH}; run \`npm run build\`.`)
  return checkedSize(readFileSync(AGENT_BUNDLE_PATH, 'utf8'))
}

/**
 * esbuild runs in its own node process: loaded into a test runner's module sandbox its service process never
 * answers. The options match the `build:agent` script in package.json.
 */
function bundleInChildProcess(): Promise<string> {
  const script = `const esbuild = require('esbuild')
const result = esbuild.buildSync({entryPoints: [${JSON.stringify(AGENT_ENTRY_SOURCE)}], bundle: true, platform: 'node',
  target: 'node18', format: 'cjs', minify: true, legalComments: 'none', write: false, logLevel: 'error'})
process.stdout.write(result.outputFiles[0].text)`
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], {cwd: PACKAGE_ROOT, maxBuffer: 8 * 1024 * 1024}, (error, stdout, stderr) => {
      if (error) reject(new Error(`Bundling the probe check program failed: ${stderr || error.message}`))
      else resolve(stdout)
    })
  })
}

function checkedSize(source: string): string {
  const bytes = Buffer.byteLength(source)
  if (bytes > AGENT_BUNDLE_MAX_BYTES)
    throw new Error(
      `The probe check program is ${bytes} bytes, above the ${AGENT_BUNDLE_MAX_BYTES}-byte limit for a command-line argument.`,
    )
  return source
}
