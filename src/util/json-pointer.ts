/** RFC 6901 JSON Pointers: `~1` stands for `/` and `~0` for `~` inside a segment. */
export function decodePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export function encodePointer(segments: Array<string | number>): string {
  return segments.map(pointerSegment).join('')
}

/** One segment as it is appended to a pointer, with its `/`. */
export function pointerSegment(segment: string | number): string {
  const text = String(segment)
  // Most keys hold neither character: they are taken as they are.
  return '/' + (text.includes('~') || text.includes('/') ? text.replaceAll('~', '~0').replaceAll('/', '~1') : text)
}
