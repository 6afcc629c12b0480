import {readdirSync, statSync} from 'node:fs'
import {extname, join} from 'node:path'

import {CONFIG_FILE_NAME} from './config.js'

/** A problem with the command line itself (too many files, a bad flag value): exit 2 before any file is read. */
export class UsageError extends Error {}

/** One input of the run: a file named or found by walking a directory, or `-` for stdin. */
export interface InputEntry {
  path: string
  /** Why a named path cannot be read at all. */
  missing?: string
  /** Found by walking a directory rather than named: files that hold no runner configuration are passed over quietly. */
  walked?: boolean
}

const WALKED_EXTENSIONS = new Set(['.yaml', '.yml', '.toml', '.tf'])
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.terraform'])

/** Code-unit order: the same on every machine, and localeCompare's first call loads ICU collation (~8 ms). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The files to lint, in a stable order: named paths as given, directories walked for YAML, TOML and Terraform. */
export function enumerateInputs(paths: string[], maxFiles: number): InputEntry[] {
  const out: InputEntry[] = []
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, {withFileTypes: true})
    entries.sort((a, b) => compareText(a.name, b.name))
    for (const entry of entries) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full)
      } else if (entry.isFile() && WALKED_EXTENSIONS.has(extname(entry.name)) && entry.name !== CONFIG_FILE_NAME) {
        out.push({path: full, walked: true})
        if (out.length > maxFiles) throw new UsageError(`More than ${maxFiles} files to lint; name fewer paths or raise --max-files.`)
      }
    }
  }
  for (const p of paths) {
    if (p === '-') {
      out.push({path: '-'})
      continue
    }
    let info
    try {
      info = statSync(p)
    } catch (error) {
      out.push({
        path: p,
        missing:
          (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory.' : `Cannot read: ${(error as Error).message}.`,
      })
      continue
    }
    if (info.isDirectory()) walk(p)
    else out.push({path: p})
  }
  return out
}
