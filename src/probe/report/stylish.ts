import type {CheckResult, CheckStatus, ProbeReport} from '../types.js'
import {findCauses} from './causes.js'
import {countLine} from './summary.js'

export interface StylishOptions {
  /** Show the evidence of passing and skipped checks too. */
  verbose?: boolean
  color?: boolean
  /** Wrap lines to this many columns (the terminal width); undefined when piped, so nothing is wrapped. */
  width?: number
}

const COLORS: Record<CheckStatus, string> = {pass: '\u001B[32m', warn: '\u001B[33m', fail: '\u001B[31m', skip: '\u001B[90m'}
const RESET = '\u001B[0m'
const BOLD = '\u001B[1m'

function paint(text: string, code: string, color: boolean | undefined): string {
  return color ? `${code}${text}${RESET}` : text
}

function describeMode(report: ProbeReport): string {
  const where = report.target?.pod ? ` ${report.target.namespace ? `${report.target.namespace}/` : ''}${report.target.pod}` : ''
  return `${report.mode}${where}`
}

/** Breaks text at spaces so that no line is longer than `width`; words longer than a line stay whole. */
export function wrap(text: string, width: number | undefined, indent: string, firstIndent = indent): string[] {
  if (!width || width <= indent.length + 20) return [`${firstIndent}${text}`]
  const lines: string[] = []
  let line = firstIndent
  let lineHasWord = false
  for (const word of text.split(/ +/)) {
    if (lineHasWord && line.length + 1 + word.length > width) {
      lines.push(line)
      line = indent
      lineHasWord = false
    }
    line += `${lineHasWord ? ' ' : ''}${word}`
    lineHasWord = true
  }
  lines.push(line)
  return lines
}

/**
 * The verdict (the first root cause and its fix) first; then each cause with the checks it explains; then the other
 * checks. Long lines wrap at the terminal width when one is given.
 */
export function renderStylish(report: ProbeReport, options: StylishOptions = {}): string {
  const {color, verbose, width} = options
  const lines: string[] = []
  const verdictColor = report.summary.exitCode === 0 ? (report.summary.warn > 0 ? COLORS.warn : COLORS.pass) : COLORS.fail
  for (const line of wrap(`runner-doctor probe (${describeMode(report)}): ${report.summary.verdict}`, width, '  ', ''))
    lines.push(paint(line, `${BOLD}${verdictColor}`, color))
  lines.push('')
  const causes = report.causes ?? findCauses(report.checks)
  const byId = new Map(report.checks.map((c) => [c.id, c]))
  const explained = new Set(causes.flatMap((c) => c.checks))
  const idWidth = Math.min(40, Math.max(5, ...report.checks.map((c) => c.id.length)))
  const row = (check: CheckResult, indent: string, detail: boolean) => {
    const head = `${indent}${paint(check.status.padEnd(6), COLORS[check.status], color)}  ${check.id.padEnd(idWidth)}  `
    const visibleHead = `${indent}${check.status.padEnd(6)}  ${check.id.padEnd(idWidth)}  `
    const body = wrap(check.summary, width, ' '.repeat(visibleHead.length), visibleHead)
    lines.push(head + body[0]!.slice(visibleHead.length), ...body.slice(1))
    const inner = `${indent}${' '.repeat(8)}`
    if (detail && check.cause) lines.push(...wrap(`cause: ${check.cause}`, width, `${inner}       `, inner))
    if ((detail || verbose) && check.evidence.length > 0) {
      for (const item of check.evidence.filter((e) => e.trim() !== ''))
        lines.push(...wrap(`- ${item}`, width, `${inner}  `, inner).map((l) => paint(l, COLORS.skip, color)))
    }
  }
  causes.forEach((cause, index) => {
    const mark = cause.status === 'fail' ? 'FAIL' : 'WARN'
    lines.push(...wrap(`${index + 1}. ${paint(mark, COLORS[cause.status], color)} ${cause.title}`, width, '     ', '  '))
    lines.push(...wrap(`fix: ${cause.fix}`, width, '          ', '     '))
    for (const id of cause.checks) {
      const check = byId.get(id)
      if (check) row(check, '     ', true)
    }
    lines.push('')
  })
  const others = report.checks.filter((c) => !explained.has(c.id))
  if (others.length) {
    lines.push(`  ${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  SUMMARY`)
    for (const check of others) row(check, '  ', false)
  }
  const timing = report.timings.totalMs >= 1000 ? `${(report.timings.totalMs / 1000).toFixed(1)} s` : `${report.timings.totalMs} ms`
  lines.push('', `${countLine(report.summary)} in ${timing}.`)
  if (!verbose && others.some((c) => c.status === 'pass' && c.evidence.length > 0))
    lines.push('Run with --verbose to see the evidence of every check.')
  return `${lines.join('\n')}\n`
}
