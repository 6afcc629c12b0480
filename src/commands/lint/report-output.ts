import {fstatSync, writeSync} from 'node:fs'

/** Where the report goes: what the formatters need to know of it, and a write that reports its own failures. */
export interface ReportOutput {
  isTTY: boolean
  columns?: number
  write(text: string): void
}

/** Only a character device can be a terminal, so a pipe or a file is told apart without loading node:tty (and node:net). */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false
  } catch {
    return false
  }
  return process.getBuiltinModule('node:tty').isatty(fd)
}

/**
 * The process's stdout. A terminal gets Node's stream, which knows its width. A pipe or a file (a job log,
 * `--format json > report.json`, `| head`) gets fs.writeSync: Node writes those synchronously as well, and creating
 * its stream loads the stream and socket modules, about 3 ms of a lint. What writeSync cannot write at once (a full
 * non-blocking pipe, a reader that went away, a full disk) goes on through Node's stream, which waits or fails as
 * it always did; `prepare` gets that stream when it is first made.
 */
export function processStdout(prepare: (stream: NodeJS.WriteStream) => void): ReportOutput {
  let stream: NodeJS.WriteStream | undefined
  const nodeStream = (): NodeJS.WriteStream => {
    if (!stream) {
      stream = process.stdout
      prepare(stream)
    }
    return stream
  }
  if (isTerminal(1)) {
    const terminal = nodeStream()
    return {
      isTTY: true,
      get columns() {
        return terminal.columns
      },
      write: (text) => void terminal.write(text),
    }
  }
  let handedOver = false
  return {
    isTTY: false,
    write(text) {
      if (handedOver) {
        nodeStream().write(text)
        return
      }
      const bytes = Buffer.from(text, 'utf8')
      let written = 0
      try {
        while (written < bytes.length) {
          const n = writeSync(1, bytes, written)
          if (n <= 0) break
          written += n
        }
      } catch {
        // Left to Node's stream below, which meets the same condition and handles it as it would have.
      }
      if (written < bytes.length) {
        handedOver = true
        nodeStream().write(bytes.subarray(written))
      }
    },
  }
}
