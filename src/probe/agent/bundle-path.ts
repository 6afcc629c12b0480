import {existsSync, readFileSync, statSync} from 'node:fs'
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
  if (existsSync(AGENT_ENTRY_SOURCE)) {
    let esbuild: typeof import('esbuild') | undefined
    try {
      esbuild = await import('esbuild')
    } catch {
      esbuild = undefined
    }
    if (esbuild) {
      const result = await esbuild.build({entryPoints: [AGENT_ENTRY_SOURCE], bundle: true, platform: 'node', target: 'node18', format: 'cjs',
        minify: true, legalComments: 'none', write: false, logLevel: 'silent'})
      return checkedSize(result.outputFiles[0].text)
    }
  }
  if (!existsSync(AGENT_BUNDLE_PATH)) throw new Error(`The probe check program is missing at ${AGENT_BUNDLE_PATH}; run \`npm run build\`.`)
  return checkedSize(readFileSync(AGENT_BUNDLE_PATH, 'utf8'))
}

function checkedSize(source: string): string {
  const bytes = Buffer.byteLength(source)
  if (bytes > AGENT_BUNDLE_MAX_BYTES) throw new Error(`The probe check program is ${bytes} bytes, above the ${AGENT_BUNDLE_MAX_BYTES}-byte limit for a command-line argument.`)
  return source
}

export function agentBundleIsBuilt(): boolean {
  return existsSync(AGENT_BUNDLE_PATH) && statSync(AGENT_BUNDLE_PATH).size > 0
}
