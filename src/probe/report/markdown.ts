import type {CheckResult, ProbeReport} from '../types.js'
import {findCauses} from './causes.js'
import {countLine} from './summary.js'

/** Text that stays literal inside a Markdown table cell or list item. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .replace(/([*_`<>[\]])/g, '\\$1')
}

const ICON: Record<CheckResult['status'], string> = {fail: '❌ fail', warn: '⚠️ warn', pass: '✅ pass', skip: '⏭️ skip'}

/**
 * A report to paste into an incident channel or an issue: the verdict, each cause with its fix and the checks it
 * explains (evidence in a collapsed block), then a table of every check. GitLab and GitHub flavoured Markdown.
 */
export function renderMarkdown(report: ProbeReport): string {
  const causes = report.causes ?? findCauses(report.checks)
  const byId = new Map(report.checks.map((c) => [c.id, c]))
  const where = report.target?.pod ? ` \`${report.target.namespace ? `${report.target.namespace}/` : ''}${report.target.pod}\`` : ''
  const out: string[] = [`### runner-doctor probe: ${report.mode}${where}`, '', `**${cell(report.summary.verdict)}**`, '']
  if (causes.length) {
    out.push('#### Causes', '')
    causes.forEach((cause, i) => {
      out.push(`${i + 1}. ${cause.status === 'fail' ? '❌' : '⚠️'} **${cell(cause.title)}**`, `   - Fix: ${cell(cause.fix)}`)
      for (const id of cause.checks) {
        const check = byId.get(id)
        if (check) out.push(`   - \`${id}\`: ${cell(check.summary)}`)
      }
    })
    out.push('')
  }
  out.push('#### Checks', '', '| Status | Check | Summary |', '|---|---|---|')
  for (const check of report.checks) out.push(`| ${ICON[check.status]} | \`${check.id}\` | ${cell(check.summary)} |`)
  const withEvidence = report.checks.filter((c) => (c.status === 'fail' || c.status === 'warn') && c.evidence.length)
  if (withEvidence.length) {
    out.push('', '<details><summary>Evidence</summary>', '', '```text')
    for (const check of withEvidence) out.push(`${check.id}:`, ...check.evidence.map((e) => `  ${e.replaceAll('```', "'''")}`))
    out.push('```', '', '</details>')
  }
  out.push('', `${countLine(report.summary)}; exit code ${report.summary.exitCode}.`)
  return `${out.join('\n')}\n`
}
