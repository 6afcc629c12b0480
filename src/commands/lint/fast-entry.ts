import {executeLint, LintCliError, processIo} from './execute.js'
import {parseLintArgvFast} from './flags.js'

/**
 * `runner-doctor lint` without oclif's start-up cost. Returns false when the arguments need oclif (help, unknown
 * or malformed flags), which then parses them and prints its usual messages.
 */
export async function runLintFast(argv: string[]): Promise<boolean> {
  const parsed = await parseLintArgvFast(argv)
  if (!parsed) return false
  try {
    process.exitCode = await executeLint(parsed.flags, parsed.paths, processIo())
  } catch (error) {
    process.stderr.write(`runner-doctor: ${(error as Error).message.split('\n')[0]}\n`)
    if (parsed.flags.verbose && !(error instanceof LintCliError)) process.stderr.write(`${(error as Error).stack ?? ''}\n`)
    process.exitCode = 2
  }
  return true
}
