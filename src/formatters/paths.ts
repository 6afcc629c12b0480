import path from 'node:path'

import type {FileResult} from '../lint/types.js'

/** The path the engine uses for standard input. */
export const STDIN_PATH = '-'

/**
 * The path CI reports expect: relative to the working directory, forward slashes, no leading `./`.
 * GitLab matches report paths against the repository, so absolute paths would never line up.
 */
export function reportPath(file: string, cwd: string): string {
  if (file === STDIN_PATH) return 'stdin'
  const absolute = path.resolve(cwd, file)
  const relative = path.relative(cwd, absolute)
  const chosen = relative === '' ? path.basename(absolute) : relative
  return chosen.split(path.sep).join('/')
}

/**
 * A file lint passed over on purpose (not runner configuration, empty, encrypted). A file that could not be read
 * (missing, binary, too large) also has kind `skipped`, but it is an error, never a skip.
 */
export function isSkippedFile(file: FileResult): boolean {
  return !file.error && (file.skipped !== undefined || file.kind === 'skipped')
}
