import type {Finding, FileResult, FormatContext, LintResult, LintSummary, Severity} from '../lint/types.js'
import {describeCapacity, plural} from './capacity-text.js'
import {isSkippedFile} from './paths.js'

/** SGR codes; a paint call emits nothing extra when colour is off so widths stay computable. */
const SGR = {bold: 1, dim: 2, underline: 4, red: 31, green: 32, yellow: 33, blue: 34, gray: 90} as const
type Style = keyof typeof SGR

type Painter = (text: string, ...styles: Style[]) => string

function painter(enabled: boolean): Painter {
  if (!enabled) return (text) => text
  return (text, ...styles) =>
    styles.length === 0 || text === '' ? text : `\u001B[${styles.map((s) => SGR[s]).join(';')}m${text}\u001B[0m`
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

function findingRow(finding: Finding, widths: LocationWidths): Cell[] {
  const dim: Style[] = finding.suppressed ? ['gray'] : []
  const location = `${String(finding.line).padStart(widths.line)}:${String(finding.column).padEnd(widths.column)}`
  const row: Cell[] = [
    {text: location, styles: finding.suppressed ? dim : ['dim']},
    {text: finding.severity, styles: finding.suppressed ? dim : [SEVERITY_STYLE[finding.severity]]},
    {text: finding.message, styles: dim},
    {text: finding.ruleId, styles: finding.suppressed ? dim : ['dim']},
  ]
  if (finding.suppressed) {
    row.push({text: `(${SUPPRESSED_BY[finding.suppressed.by]}: ${finding.suppressed.reason})`, styles: dim})
  }
  return row
}

/** Aligns the columns of the rows; the last cell of a row is never padded, so lines have no trailing spaces. */
function renderTable(rows: Cell[][], paint: Painter): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, [...cell.text].length)
    })
  }
  return rows.map((row) => {
    const rendered = row.map((cell, index) => {
      const gap = index === row.length - 1 ? 0 : widths[index]! - [...cell.text].length
      return paint(cell.text, ...cell.styles) + ' '.repeat(gap)
    })
    return `  ${rendered.join('  ')}`
  })
}

function fileHeader(file: FileResult, paint: Painter): string {
  const details: string[] = [file.kind]
  if (file.chartVersion) details.push(`chart ${file.chartVersion}`)
  if (file.runnerVersion) details.push(`runner ${file.runnerVersion}`)
  if (file.completedBy) details.push(`completed by ${file.completedBy}: only what is written here is checked`)
  return `${paint(file.path, 'underline')} ${paint(`(${details.join(', ')})`, 'dim')}`
}

function fileBlock(file: FileResult, ctx: FormatContext, paint: Painter): string[] {
  if (isSkippedFile(file)) {
    const reason = file.skipped ? ` (${file.skipped})` : ''
    return [paint(`${file.path}: skipped${reason}`, 'gray')]
  }
  const lines: string[] = []
  if (file.error) {
    lines.push(paint(`${file.path}:${file.error.line}:${file.error.column}: ${file.error.message}`, 'red'))
  }
  const shown = file.findings.filter((finding) => ctx.verbose || !finding.suppressed).sort(byPosition)
  if (shown.length > 0 || file.capacity) {
    lines.push(fileHeader(file, paint))
    const widths = locationWidths(shown)
    lines.push(...renderTable(shown.map((finding) => findingRow(finding, widths)), paint))
    if (file.capacity) lines.push(`  ${paint('Capacity:', 'bold')} ${describeCapacity(file.capacity)}`)
  }
  return lines
}

function summaryLine(result: LintResult, paint: Painter): string {
  const summary = result.summary
  const problems = summary.errors + summary.warnings + summary.infos
  const unreadable = summary.filesWithErrors
  const skipped = summary.skipped > 0 ? ` (${summary.skipped} skipped)` : ''
  const filesPart = `in ${plural(summary.files, 'file')}${skipped}`

  let head: string
  if (problems === 0 && unreadable === summary.files) {
    head = paint('✖ Nothing was checked', 'red', 'bold')
  } else if (problems === 0 && unreadable > 0) {
    // A check mark would read as a clean run; the files that could not be read are counted next.
    head = paint(`✖ No problems in the ${plural(summary.files - unreadable, 'other file')}${skipped}`, 'red', 'bold')
  } else if (problems === 0) {
    head = `${paint('✔', 'green')} No problems ${filesPart}`
  } else {
    const counts = [
      plural(summary.errors, 'error'),
      plural(summary.warnings, 'warning'),
      plural(summary.infos, 'info'),
    ].join(', ')
    const colour: Style = summary.errors > 0 ? 'red' : summary.warnings > 0 ? 'yellow' : 'blue'
    head = paint(`✖ ${plural(problems, 'problem')} (${counts}) ${filesPart}`, colour, 'bold')
  }

  const parts = [head]
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`)
  if (unreadable > 0) {
    parts.push(paint(`${plural(unreadable, 'file')} could not be read`, 'red', 'bold'))
  }
  parts.push(`${plural(summary.rulesRun, 'rule')}, ${summary.rulesPassed} passed`)
  parts.push(`chart ${summary.chartVersion} (${CHART_SOURCE[summary.chartVersionSource]})`)
  return parts.join(' · ')
}

/**
 * Human-readable report in the style of ESLint's `stylish`: one block per file that has something to
 * show, then a summary line. Files with nothing to report are left out, as ESLint does.
 */
export function formatStylish(result: LintResult, ctx: FormatContext): string {
  const paint = painter(ctx.color)
  const blocks = result.files.map((file) => fileBlock(file, ctx, paint)).filter((lines) => lines.length > 0)
  const body = blocks.map((lines) => lines.join('\n')).join('\n\n')
  const summary = summaryLine(result, paint)
  return body === '' ? `${summary}\n` : `${body}\n\n${summary}\n`
}
