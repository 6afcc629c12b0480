/**
 * `--format` and `--output-file` pair up in order (lint and probe alike): a file without a format to write is a usage
 * error. Returns the message for it, or undefined when every file has its format.
 */
export function unpairedOutputFiles(formats: readonly string[], outputs: readonly string[]): string | undefined {
  if (outputs.length <= formats.length) return undefined
  return `${outputs.length} --output-file values but only ${formats.length} --format; pair each file with a format.`
}
