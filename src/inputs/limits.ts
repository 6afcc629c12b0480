import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {formatBytes as formatSize} from '../util/bytes.js'

/**
 * Parsed YAML or TOML costs up to 5 KiB of memory per syntax item (a line, a list entry, a quote, a key
 * separator), whatever the byte count. A file may hold one such item per this many bytes of --max-file-size:
 * about 43,000 with the default 4 MiB, which lint handles in under 500 MiB; realistic files hold one item per
 * 7 to 10 bytes and at most a thousand or so.
 */
export const BYTES_PER_ITEM = 96

/** Memory one item can take while parsed, located and checked (measured: 1.2 KiB for YAML to 4.5 KiB for TOML), with headroom. */
const HEAP_BYTES_PER_ITEM = 8192

/** Limits are round numbers and sizes are shown to one decimal, as users type them for --max-file-size. */
export const formatBytes = (bytes: number): string => formatSize(bytes, 1, {exact: false})

export function tooLargeMessage(size: number | undefined, maxBytes: number): string {
  const what = size === undefined ? 'File is larger than' : `File is ${formatBytes(size)}, over`
  return `${what} the ${formatBytes(maxBytes)} limit (raise it with --max-file-size).`
}

/**
 * Reads at most maxBytes + 1 bytes, so a 50 MB file, a FIFO or /dev/zero given by name never fills memory.
 * `size` is the file's full size when the file system knows it.
 */
export function readBounded(path: string, maxBytes: number): {buffer: Buffer; size?: number; tooLarge: boolean} {
  // Synchronous on purpose: lint reads its files one after another, and node:fs/promises costs start-up time.
  const fd = openSync(path, 'r')
  try {
    const info = fstatSync(fd)
    if (info.isFile() && info.size > maxBytes) return {buffer: Buffer.alloc(0), size: info.size, tooLarge: true}
    const chunks: Buffer[] = []
    let total = 0
    while (total <= maxBytes) {
      // A regular file needs one read of its size (plus a byte to notice growth); streams, /proc files (size 0)
      // and files that grew are read in 64 KiB steps.
      const want = info.isFile() && total < info.size ? info.size + 1 - total : 1 << 16
      const chunk = Buffer.allocUnsafe(Math.min(want, maxBytes + 1 - total))
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      chunks.push(chunk.subarray(0, bytesRead))
      total += bytesRead
    }
    return {buffer: Buffer.concat(chunks, total), size: info.isFile() ? info.size : undefined, tooLarge: total > maxBytes}
  } finally {
    closeSync(fd)
  }
}

// Newline , " ' [ { : - ? & * ! = . : the characters that can start a YAML or TOML node or token.
const ITEM_CHARS = new Uint8Array(128)
for (const c of '\n,"\'[{:-?&*!=.') ITEM_CHARS[c.charCodeAt(0)] = 1

/** An upper bound on the YAML or TOML nodes and tokens the text parses into, counted without parsing. */
export function countItems(text: string): number {
  let items = 1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 128 && ITEM_CHARS[c] === 1) items++
  }
  return items
}

const SMALLEST_HEAP_CONSIDERED = 16 * 1024 * 1024

/** Why a text within the size limit must still not be parsed (too many items, or more memory than the heap holds). */
export function structureProblem(text: string, maxFileBytes: number): string | undefined {
  const items = countItems(text)
  const maxItems = Math.floor(maxFileBytes / BYTES_PER_ITEM)
  if (items > maxItems) {
    return (
      `File has ${items.toLocaleString('en-US')} lines, list entries, quotes and other syntax items, ` +
      `over the ${maxItems.toLocaleString('en-US')} that --max-file-size ${formatBytes(maxFileBytes)} ` +
      `allows (one per ${BYTES_PER_ITEM} bytes); raise it to read this file.`
    )
  }
  // A long scalar costs about 40 bytes of heap per character while lexed, composed and converted (measured on 50 MB).
  const needed = items * HEAP_BYTES_PER_ITEM + text.length * 40
  // No Node heap is this small; node:v8 is loaded only for files that could matter (it costs ~3 ms of start-up).
  if (needed < SMALLEST_HEAP_CONSIDERED) return undefined
  const heap = process.getBuiltinModule('node:v8').getHeapStatistics()
  const available = heap.heap_size_limit - heap.used_heap_size
  if (needed > available) {
    return (
      `Reading this file needs about ${formatBytes(needed)} of memory, more than the ${formatBytes(available)} ` +
      `left to this Node process (raise it with NODE_OPTIONS=--max-old-space-size=<MiB>).`
    )
  }
  return undefined
}
