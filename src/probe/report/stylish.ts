import type {CheckResult, CheckStatus, ProbeReport} from '../types.js'

export interface StylishOptions {
  /** Show the evidence of passing and skipped checks too. */
  verbose?: boolean
  color?: boolean
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

/** A verdict line first, then one row per check; cause, fix and evidence under the rows that need attention. */
export function renderStylish(report: ProbeReport, options: StylishOptions = {}): string {
  const {color, verbose} = options
  const lines: string[] = []
  const verdictColor = report.summary.exitCode === 0 ? (report.summary.warn > 0 ? COLORS.warn : COLORS.pass) : COLORS.fail
  lines.push(paint(`runner-doctor probe (${describeMode(report)}): ${report.summary.verdict}`, `${BOLD}${verdictColor}`, color), '')
  const idWidth = Math.min(40, Math.max(5, ...report.checks.map(c => c.id.length)))
  lines.push(`  ${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  SUMMARY`)
  const indent = ' '.repeat(2 + 6 + 2)
  for (const check of report.checks) {
    lines.push(`  ${paint(check.status.padEnd(6), COLORS[check.status], color)}  ${check.id.padEnd(idWidth)}  ${check.summary}`)
    const attention = check.status === 'fail' || check.status === 'warn'
    if (attention && check.cause) lines.push(`${indent}cause: ${check.cause}`)
    if (attention && check.remediation) lines.push(`${indent}fix:   ${check.remediation}`)
    if ((attention || verbose) && check.evidence.length > 0) {
      for (const item of evidenceLines(check)) lines.push(paint(`${indent}- ${item}`, COLORS.skip, color))
    }
  }
  const {pass, warn, fail, skip} = report.summary
  const timing = report.timings.totalMs >= 1000 ? `${(report.timings.totalMs / 1000).toFixed(1)} s` : `${report.timings.totalMs} ms`
  lines.push('', `${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped in ${timing}.`)
  if (!verbose && report.checks.some(c => c.status === 'pass' && c.evidence.length > 0)) lines.push('Run with --verbose to see the evidence of every check.')
  return `${lines.join('\n')}\n`
}

function evidenceLines(check: CheckResult): string[] {
  return check.evidence.filter(e => e.trim().length > 0)
}
