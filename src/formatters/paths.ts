import path from 'node:path'

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
