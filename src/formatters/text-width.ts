/** Terminal text helpers for the stylish report: widths ignore colour escapes, wrapping breaks at spaces. */

// eslint-disable-next-line no-control-regex -- ESC opens the colour sequences whose width is not shown
const SGR_ESCAPE = /\u001B\[[0-9;]*m/g

export function visibleLength(text: string): number {
  return [...text.replace(SGR_ESCAPE, '')].length
}

/**
 * Splits plain text into lines of at most `width` characters, breaking at spaces; a word longer than a line is
 * cut, since a line that runs past the terminal edge would wrap mid-word anyway.
 */
export function wrapWords(text: string, width: number): string[] {
  const limit = Math.max(1, width)
  const lines: string[] = []
  let current = ''
  for (const word of text.split(' ')) {
    let rest = [...word]
    const candidate = current === '' ? word : `${current} ${word}`
    if ([...candidate].length <= limit) {
      current = candidate
      continue
    }
    if (current !== '') lines.push(current)
    while (rest.length > limit) {
      lines.push(rest.slice(0, limit).join(''))
      rest = rest.slice(limit)
    }
    current = rest.join('')
  }
  lines.push(current)
  return lines
}

/**
 * Joins already painted parts with `separator`, starting a new line (indented by `indent` spaces) before a part that
 * would run past `width`. Parts are never split, so their colours stay whole.
 */
export function joinWithin(parts: string[], separator: string, width: number, indent: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const part of parts) {
    if (current === '') {
      current = lines.length === 0 ? part : `${' '.repeat(indent)}${part}`
    } else if (visibleLength(current) + visibleLength(separator) + visibleLength(part) <= width) {
      current += separator + part
    } else {
      lines.push(current.trimEnd())
      current = `${' '.repeat(indent)}${part}`
    }
  }
  lines.push(current)
  return lines
}

/** Cuts plain text to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  const characters = [...text]
  if (characters.length <= width) return text
  return `${characters.slice(0, Math.max(0, width - 1)).join('')}…`
}
