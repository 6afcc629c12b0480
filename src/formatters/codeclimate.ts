import type {FormatContext, LintResult, RuleSummary, Severity} from '../lint/types.js'
import {fingerprintHash} from '../util/fingerprint-hash.js'
import {reportPath} from './paths.js'

/** GitLab accepts exactly info, minor, major, critical and blocker. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker'

export const CODE_QUALITY_SEVERITY: Record<Severity, CodeQualitySeverity> = {
  error: 'major',
  warning: 'minor',
  info: 'info',
}

/** Check name used for a file that could not be read or parsed, so the MR widget shows it too. */
export const FILE_ERROR_CHECK = 'file-error'

export interface CodeQualityIssue {
  type: 'issue'
  check_name: string
  description: string
  content?: {body: string}
  categories?: string[]
  location: {path: string; lines: {begin: number; end?: number}}
  severity: CodeQualitySeverity
  fingerprint: string
}

/** Code Climate's fixed category list; GitLab ignores it, other Code Climate consumers use it. */
function categoriesFor(rule: RuleSummary | undefined): string[] | undefined {
  if (!rule) return undefined
  const category = rule.category.toLowerCase()
  if (category.includes('secur')) return ['Security']
  if (/resource|capacity|concurren|performance/.test(category)) return ['Performance']
  if (/version|image|compat/.test(category)) return ['Compatibility']
  if (/structure|style|naming/.test(category)) return ['Clarity']
  return ['Bug Risk']
}

/**
 * GitLab shows findings with the same fingerprint as one entry, so repeats (the same rule at the same
 * pointer twice) get a fingerprint derived from the original and its occurrence number; the first
 * occurrence keeps the engine's fingerprint, so reports stay comparable across runs.
 */
function uniqueFingerprint(fingerprint: string, seen: Map<string, number>): string {
  const occurrence = seen.get(fingerprint) ?? 0
  seen.set(fingerprint, occurrence + 1)
  if (occurrence === 0) return fingerprint
  let candidate = fingerprintHash(`${fingerprint}\u0000${occurrence}`)
  while (seen.has(candidate)) candidate = fingerprintHash(`${candidate}\u0000${occurrence}`)
  seen.set(candidate, 1)
  return candidate
}

/** GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array, suppressed findings left out. */
export function formatCodeClimate(result: LintResult, ctx: FormatContext): string {
  const rules = new Map(ctx.rules.map((rule) => [rule.id, rule]))
  const seen = new Map<string, number>()
  const issues: CodeQualityIssue[] = []
  for (const file of result.files) {
    const path = reportPath(file.path, ctx.cwd)
    if (file.error) {
      issues.push({
        type: 'issue',
        check_name: FILE_ERROR_CHECK,
        description: `${path} could not be checked: ${file.error.message}`,
        location: {path, lines: {begin: Math.max(1, file.error.line)}},
        severity: 'blocker',
        fingerprint: uniqueFingerprint(fingerprintHash(`${path}\u0000${FILE_ERROR_CHECK}`), seen),
      })
    }
    for (const finding of file.findings) {
      if (finding.suppressed) continue
      const issue: CodeQualityIssue = {
        type: 'issue',
        check_name: finding.ruleId,
        description: finding.message,
        location: {path, lines: {begin: Math.max(1, finding.line), end: Math.max(finding.line, finding.endLine, 1)}},
        severity: CODE_QUALITY_SEVERITY[finding.severity],
        fingerprint: uniqueFingerprint(
          finding.fingerprint || fingerprintHash(`${path}\u0000${finding.pointer}\u0000${finding.ruleId}`),
          seen,
        ),
      }
      if (finding.remediation) issue.content = {body: finding.remediation}
      const categories = categoriesFor(rules.get(finding.ruleId))
      if (categories) issue.categories = categories
      issues.push(issue)
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`
}
