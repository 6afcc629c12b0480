import {encryptionOf} from '../inputs/encrypted.js'
import type {FileError} from '../inputs/types.js'
import {readBounded, structureProblem, tooLargeMessage} from '../inputs/limits.js'
import type {InputEntry} from './enumerate.js'

function isTextual(buffer: Buffer): boolean {
  return !buffer.subarray(0, 8192).includes(0)
}

const atStart = (message: string): FileError => ({message, line: 1, column: 1})

/**
 * An input's text, or why it cannot be linted: missing, over the size limit, binary, or too many syntax items for
 * the memory it would take. stdin is read by the caller only to the limit + 1 byte, so its full size is unknown.
 */
export async function readInput(
  entry: InputEntry,
  maxFileBytes: number,
  readStdin: () => Promise<string>,
): Promise<{text: string} | {error: FileError}> {
  if (entry.missing) return {error: atStart(entry.missing)}
  try {
    const stdin = entry.path === '-' ? Buffer.from(await readStdin()) : undefined
    const {buffer, size, tooLarge} = stdin
      ? {buffer: stdin, size: stdin.length, tooLarge: stdin.length > maxFileBytes}
      : readBounded(entry.path, maxFileBytes)
    if (tooLarge) return {error: atStart(tooLargeMessage(stdin ? undefined : size, maxFileBytes))}
    // An encrypted file (git-crypt is binary) goes on to be named and skipped, byte for byte as read.
    if (encryptionOf(buffer.subarray(0, 64).toString('latin1'))) return {text: buffer.toString('latin1')}
    if (!isTextual(buffer)) return {error: atStart('Binary file: not YAML or TOML.')}
    const text = buffer.toString('utf8')
    const problem = structureProblem(text, maxFileBytes)
    return problem ? {error: atStart(problem)} : {text}
  } catch (error) {
    return {error: atStart(`Cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)}
  }
}
