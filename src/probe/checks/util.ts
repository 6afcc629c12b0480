import type {CheckResult, CheckStatus} from '../types.js'

export const STATUS_RANK: Record<CheckStatus, number> = {skip: 0, pass: 1, warn: 2, fail: 3}

export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (STATUS_RANK[s] > STATUS_RANK[worst] ? s : worst), 'pass')
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}

/** Turns a host name or address into a kebab-case fragment usable in a check id. */
export function idFragment(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'unnamed'
  )
}

export function errorCode(error: unknown): string {
  const e = error as {code?: unknown; message?: unknown}
  if (typeof e?.code === 'string') return e.code
  return typeof e?.message === 'string' ? e.message : String(error)
}

export function errorText(error: unknown): string {
  const e = error as {code?: unknown; message?: unknown}
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message
}

export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')
}

/** One thing a check observed (a lint finding is another thing); the check takes the worst of its observations. */
export interface Observation {
  status: CheckStatus
  summary: string
  cause?: string
  remediation?: string
}

export interface CheckDraft {
  id: string
  evidence: string[]
  findings: Observation[]
  /** Used when there is no finding worse than pass. */
  passSummary: string
}

/** Builds the CheckResult from the worst finding; ties keep the first one found. */
export function finishCheck(draft: CheckDraft, startedAt: number): CheckResult {
  const allSkipped = draft.findings.length > 0 && draft.findings.every((f) => f.status === 'skip')
  const worst = allSkipped ? 'skip' : worstStatus(draft.findings.map((f) => f.status))
  const lead = draft.findings.find((f) => f.status === worst)
  const result: CheckResult = {
    id: draft.id,
    status: worst,
    summary: lead?.summary ?? draft.passSummary,
    evidence: draft.evidence,
    durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
  }
  if (worst === 'warn' || worst === 'fail') {
    if (lead?.cause) result.cause = lead.cause
    if (lead?.remediation) result.remediation = lead.remediation
  }
  const others = draft.findings.filter((f) => f !== lead && (f.status === 'warn' || f.status === 'fail'))
  for (const other of others)
    result.evidence.push(`Also (${other.status}): ${other.summary}${other.remediation ? ` Fix: ${other.remediation}` : ''}`)
  return result
}

export function simpleCheck(
  id: string,
  status: CheckStatus,
  summary: string,
  evidence: string[],
  startedAt: number,
  extra: {cause?: string; remediation?: string} = {},
): CheckResult {
  return finishCheck({id, evidence, passSummary: summary, findings: [{status, summary, ...extra}]}, startedAt)
}

/** Runs a check and turns an unexpected exception into a failed check instead of losing the whole report. */
export async function guarded(id: string, run: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  const startedAt = performance.now()
  try {
    const result = await run()
    return Array.isArray(result) ? result : [result]
  } catch (error) {
    return [
      simpleCheck(id, 'fail', `The check itself failed: ${errorText(error)}`, [errorText(error)], startedAt, {
        cause: 'An unexpected error inside runner-doctor.',
        remediation: 'Re-run with --verbose and report the error to the runner-doctor maintainers.',
      }),
    ]
  }
}
