/** 1-based line and column, as editors count them (a column counts UTF-16 code units after the line start). */
export interface Position {
  line: number
  column: number
}

export interface Span {
  start: Position
  end: Position
}

/** Turns string offsets into line/column positions; built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0]
  /** Editors do not count a byte order mark as a column of the first line. */
  private readonly bom: number

  constructor(readonly text: string) {
    this.bom = text.charCodeAt(0) === 0xfeff ? 1 : 0
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1)
    }
  }

  get lineCount(): number {
    return this.starts.length
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length))
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid] <= clamped) lo = mid
      else hi = mid - 1
    }
    return {line: lo + 1, column: Math.max(1, clamped - this.starts[lo] + 1 - (lo === 0 ? this.bom : 0))}
  }

  offset(pos: Position): number {
    const start = this.starts[Math.max(0, Math.min(pos.line - 1, this.starts.length - 1))]
    return start + pos.column - 1 + (pos.line <= 1 ? this.bom : 0)
  }

  lineText(line: number): string {
    const start = (this.starts[line - 1] ?? this.text.length) + (line === 1 ? this.bom : 0)
    const next = this.starts[line] ?? this.text.length + 1
    return this.text.slice(start, next - 1).replace(/\r$/, '')
  }
}

/** Maps positions inside a string value (for example TOML inside a YAML block scalar) back to the outer file. */
export type PositionMap = (inner: Position) => Position

export const identityMap: PositionMap = (p) => p

export function mapSpan(span: Span, map: PositionMap): Span {
  return {start: map(span.start), end: map(span.end)}
}
