import type {Finding, FileResult, FormatContext, LintResult, LintSummary, Severity} from '../lint/types.js'
import {describeCapacity, plural} from './capacity-text.js'
import {isSkippedFile} from './paths.js'
import {joinWithin, truncate, wrapWords} from './text-width.js'

/**
 * `width` is the terminal's width when the report goes to one (the CLI leaves it unset when stdout is a pipe or a
 * file, so nothing is wrapped or cut there).
 */
export interface StylishContext extends FormatContext {
  width?: number
}

/** Below this many characters a wrapped message would be mostly line breaks; the rows then run past the width. */
const NARROWEST_MESSAGE = 16

/** SGR codes; a paint call emits nothing extra when colour is off so widths stay computable. */
const SGR = {bold: 1, dim: 2, underline: 4, red: 31, green: 32, yellow: 33, blue: 34, gray: 90} as const
type Style = keyof typeof SGR

type Painter = (text: string, ...styles: Style[]) => string

function painter(enabled: boolean): Painter {
  if (!enabled) return (text) => text
  return (text, ...styles) => (styles.length === 0 || text === '' ? text : `\u001B[${styles.map((s) => SGR[s]).join(';')}m${text}\u001B[0m`)
}

const SEVERITY_STYLE: Record<Severity, Style> = {error: 'red', warning: 'yellow', info: 'blue'}

const SUPPRESSED_BY: Record<NonNullable<Finding['suppressed']>['by'], string> = {
  config: 'suppressed in config',
  inline: 'suppressed inline',
}

const CHART_SOURCE: Record<LintSummary['chartVersionSource'], string> = {
  flag: 'from --chart-version',
  'newest-known': 'newest known',
  file: 'from the file',
}

/** A table cell: plain text decides the width, styles are applied after padding. */
interface Cell {
  text: string
  styles: Style[]
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column
}

/** Width of the line and column numbers, so the colons of `line:col` line up as in ESLint. */
interface LocationWidths {
  line: number
  column: number
}

function locationWidths(findings: Finding[]): LocationWidths {
  return {
    line: Math.max(0, ...findings.map((finding) => String(finding.line).length)),
    column: Math.max(0, ...findings.map((finding) => String(finding.column).length)),
  }
}

const MESSAGE_COLUMN = 2

function findingRow(finding: Finding, widths: LocationWidths, wrapping: boolean): Cell[] {
  const dim: Style[] = finding.suppressed ? ['gray'] : []
  const location = `${String(finding.line).padStart(widths.line)}:${String(finding.column).padEnd(widths.column)}`
  const suppression = finding.suppressed && `(${SUPPRESSED_BY[finding.suppressed.by]}: ${finding.suppressed.reason})`
  // When lines are wrapped the rule id must stay on the first line, so the suppression note joins the message.
  const message = suppression && wrapping ? `${finding.message} ${suppression}` : finding.message
  const row: Cell[] = [
    {text: location, styles: finding.suppressed ? dim : ['dim']},
    {text: finding.severity, styles: finding.suppressed ? dim : [SEVERITY_STYLE[finding.severity]]},
    {text: message, styles: dim},
    {text: finding.ruleId, styles: finding.suppressed ? dim : ['dim']},
  ]
  if (suppression && !wrapping) row.push({text: suppression, styles: dim})
  return row
}

/**
 * Aligns the columns of the rows; the last cell of a row is never padded, so lines have no trailing spaces. With a
 * width, the message column is narrowed to fit and long messages continue on lines of their own under it.
 */
function renderTable(rows: Cell[][], paint: Painter, width: number | undefined): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell.text].length)
    })
  }
  const indent = 2 + widths.slice(0, MESSAGE_COLUMN).reduce((sum, cellWidth) => sum + cellWidth + 2, 0)
  if (width === undefined || widths.length <= MESSAGE_COLUMN) return rows.map((row) => alignedLine(row, widths, paint))
  const afterMessage = widths.slice(MESSAGE_COLUMN + 1).reduce((sum, cellWidth) => sum + cellWidth + 2, 0)
  const messageWidth = Math.min(widths[MESSAGE_COLUMN]!, width - indent - afterMessage)
  if (messageWidth >= NARROWEST_MESSAGE) {
    widths[MESSAGE_COLUMN] = messageWidth
    return rows.flatMap((row) => {
      const [first, ...rest] = wrapWords(row[MESSAGE_COLUMN]!.text, messageWidth)
      const firstLine = alignedLine(row.with(MESSAGE_COLUMN, {...row[MESSAGE_COLUMN]!, text: first!}), widths, paint)
      return [firstLine, ...rest.map((line) => `${' '.repeat(indent)}${paint(line, ...row[MESSAGE_COLUMN]!.styles)}`)]
    })
  }
  // Too narrow for a message column beside the rule id: the message goes under the row, and the rule id too when it
  // does not fit beside the severity.
  return rows.flatMap((row) => {
    const [location, severity, message, ruleId] = row as [Cell, Cell, Cell, Cell]
    const ruleFits = indent + [...ruleId.text].length <= width
    const head = alignedLine(
      ruleFits ? [location, severity, ruleId] : [location, {...severity, text: severity.text.trimEnd()}],
      widths,
      paint,
    )
    const below = wrapWords(message.text, width - 4).map((line) => `    ${paint(line, ...message.styles)}`)
    if (!ruleFits) below.push(`    ${paint(ruleId.text, ...ruleId.styles)}`)
    return [head.trimEnd(), ...below]
  })
}

function alignedLine(row: Cell[], widths: number[], paint: Painter): string {
  const rendered = row.map((cell, index) => {
    const gap = index === row.length - 1 ? 0 : widths[index]! - [...cell.text].length
    return paint(cell.text, ...cell.styles) + ' '.repeat(gap)
  })
  return `  ${rendered.join('  ')}`
}

/** A plain line in the given styles, wrapped at spaces when there is a width, continuing under `indent` spaces. */
function paragraph(text: string, width: number | undefined, indent: number, paint: Painter, ...styles: Style[]): string[] {
  if (width === undefined) return [paint(text, ...styles)]
  return joinWithin(text.split(' '), ' ', width, indent).map((line) => paint(line, ...styles))
}

/** Fewer columns than this after the path would show only an ellipsis, which says nothing. */
const MIN_DETAIL_WIDTH = 4

/**
 * The path stays whole (it is what people copy), even past the width; the details after it are cut to the width,
 * or left out when the path leaves no room for them.
 */
function fileHeader(file: FileResult, paint: Painter, width: number | undefined): string {
  const details: string[] = [file.kind]
  if (file.chartVersion) details.push(`chart ${file.chartVersion}`)
  if (file.runnerVersion) details.push(`runner ${file.runnerVersion}`)
  if (file.completedBy) details.push(`completed by ${file.completedBy}: only what is written here is checked`)
  let detailText = `(${details.join(', ')})`
  if (width !== undefined) {
    const room = width - [...file.path].length - 1
    detailText = room < MIN_DETAIL_WIDTH ? '' : truncate(detailText, room)
  }
  return detailText === '' ? paint(file.path, 'underline') : `${paint(file.path, 'underline')} ${paint(detailText, 'dim')}`
}

function skippedLine(file: FileResult): string {
  return `${file.path}: skipped${file.skipped ? ` (${file.skipped})` : ''}`
}

function fileBlock(file: FileResult, ctx: StylishContext, paint: Painter): string[] {
  if (isSkippedFile(file)) return ctx.verbose ? paragraph(skippedLine(file), ctx.width, 2, paint, 'gray') : []
  const lines: string[] = []
  if (file.error) {
    lines.push(...paragraph(`${file.path}:${file.error.line}:${file.error.column}: ${file.error.message}`, ctx.width, 2, paint, 'red'))
  }
  const shown = file.findings.filter((finding) => ctx.verbose || !finding.suppressed).sort(byPosition)
  if (shown.length > 0 || file.capacity) {
    lines.push(fileHeader(file, paint, ctx.width))
    const widths = locationWidths(shown)
    lines.push(
      ...renderTable(
        shown.map((finding) => findingRow(finding, widths, ctx.width !== undefined)),
        paint,
        ctx.width,
      ),
    )
    if (file.capacity) {
      const words = [`  ${paint('Capacity:', 'bold')}`, ...describeCapacity(file.capacity).split(' ')]
      lines.push(...(ctx.width === undefined ? [words.join(' ')] : joinWithin(words, ' ', ctx.width, 4)))
    }
  }
  return lines
}

/**
 * Without --verbose the skipped files are one line, counted by reason: in a repository with hundreds of other
 * manifests, a line each would bury the findings.
 */
function skippedSummary(result: LintResult, ctx: StylishContext, paint: Painter): string[] {
  const skipped = result.files.filter(isSkippedFile)
  if (ctx.verbose || skipped.length === 0) return []
  const byReason = new Map<string, number>()
  for (const file of skipped) {
    const reason = file.skipped ?? 'not checked'
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1)
  }
  // Reasons may hold commas ("Kubernetes Deployment, not runner configuration"), so groups are set apart by `;`.
  const reasons = [...byReason].map(([reason, count]) => `${count} × ${reason}`).join('; ')
  return paragraph(`Skipped ${plural(skipped.length, 'file')} (${reasons}); --verbose lists them.`, ctx.width, 2, paint, 'gray')
}

/** A run of text in one style; a summary part is one or more of them. */
type Segment = [text: string, ...styles: Style[]]

function summaryParts(result: LintResult): Segment[][] {
  const summary = result.summary
  const problems = summary.errors + summary.warnings + summary.infos
  const unreadable = summary.filesWithErrors
  const skipped = summary.skipped > 0 ? ` (${summary.skipped} skipped)` : ''
  const filesPart = `in ${plural(summary.files, 'file')}${skipped}`

  let head: Segment[]
  if (problems === 0 && unreadable === summary.files) {
    head = [['✖ Nothing was checked', 'red', 'bold']]
  } else if (problems === 0 && unreadable > 0) {
    // A check mark would read as a clean run; the files that could not be read are counted next.
    head = [[`✖ No problems in the ${plural(summary.files - unreadable, 'other file')}${skipped}`, 'red', 'bold']]
  } else if (problems === 0) {
    head = [['✔', 'green'], [` No problems ${filesPart}`]]
  } else {
    const counts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.infos, 'info')].join(', ')
    const colour: Style = summary.errors > 0 ? 'red' : summary.warnings > 0 ? 'yellow' : 'blue'
    head = [[`✖ ${plural(problems, 'problem')} (${counts}) ${filesPart}`, colour, 'bold']]
  }

  const parts: Segment[][] = [head]
  if (summary.suppressed > 0) parts.push([[`${summary.suppressed} suppressed`]])
  if (unreadable > 0) parts.push([[`${plural(unreadable, 'file')} could not be read`, 'red', 'bold']])
  parts.push([[`${plural(summary.rulesRun, 'rule')}, ${summary.rulesPassed} passed`]])
  parts.push([[`chart ${summary.chartVersion} (${CHART_SOURCE[summary.chartVersionSource]})`]])
  return parts
}

/** One line of parts joined by ` · `; with a width, broken between words, each word keeping its part's colour. */
function summaryLines(result: LintResult, paint: Painter, width: number | undefined): string[] {
  const parts = summaryParts(result)
  if (width === undefined) {
    return [parts.map((part) => part.map(([text, ...styles]) => paint(text, ...styles)).join('')).join(' · ')]
  }
  const words: string[] = []
  parts.forEach((part, index) => {
    if (index > 0) words[words.length - 1] += ' ·'
    for (const [text, ...styles] of part) {
      // Segments meet at spaces (`✔` then ` No problems`), so no word spans two segments.
      for (const piece of text.split(' ')) if (piece !== '') words.push(paint(piece, ...styles))
    }
  })
  return joinWithin(words, ' ', width, 2)
}

/**
 * Human-readable report in the style of ESLint's `stylish`: one block per file that has something to
 * show, then a summary line. Files with nothing to report are left out, as ESLint does.
 */
export function formatStylish(result: LintResult, ctx: StylishContext): string {
  const paint = painter(ctx.color)
  const blocks = result.files.map((file) => fileBlock(file, ctx, paint)).filter((lines) => lines.length > 0)
  const skipped = skippedSummary(result, ctx, paint)
  if (skipped.length > 0) blocks.push(skipped)
  const body = blocks.map((lines) => lines.join('\n')).join('\n\n')
  const summary = summaryLines(result, paint, ctx.width).join('\n')
  return body === '' ? `${summary}\n` : `${body}\n\n${summary}\n`
}
