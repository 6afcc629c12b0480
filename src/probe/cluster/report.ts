import type {CheckResult, ProbeReport} from '../types.js'
import {buildReport, couldNotRunReport, REPORT_LINE_PREFIX} from '../report/summary.js'

/** The check program's last stdout line starts with this (see src/probe/agent/main.ts). */

/** Finds the report line in a container log or exec output; the last one wins. */
export function parseAgentReport(output: string): ProbeReport | undefined {
  const lines = output.split('\n').filter((line) => line.startsWith(REPORT_LINE_PREFIX))
  const last = lines.at(-1)
  if (!last) return undefined
  try {
    const report = JSON.parse(last.slice(REPORT_LINE_PREFIX.length)) as ProbeReport
    return Array.isArray(report.checks) && report.summary ? report : undefined
  } catch {
    return undefined
  }
}

/** A report that says why the probe could not run, with the cluster facts as one failed check. */
export function blockedReport(
  mode: ProbeReport['mode'],
  check: Omit<CheckResult, 'status' | 'durationMs'>,
  totalMs: number,
  target?: ProbeReport['target'],
): ProbeReport {
  const base = couldNotRunReport(mode, check.summary, totalMs)
  const result: CheckResult = {...check, status: 'fail', durationMs: totalMs}
  return {...base, checks: [result], summary: {...base.summary, fail: 1}, ...(target ? {target} : {})}
}

/** Last lines of a log, for evidence; never the whole thing. */
export function tail(text: string, lines = 12): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
}

/** One report for `--all-nodes`: every check tagged with its node, plus where the nodes disagree. */
export function mergeNodeReports(reports: {node: string; report: ProbeReport}[], totalMs: number, namespace: string): ProbeReport {
  const checks: CheckResult[] = reports.flatMap(({node, report}) => report.checks.map((check) => ({...check, node})))
  const statusByCheck = new Map<string, Map<string, CheckResult['status']>>()
  for (const check of checks) {
    const perNode = statusByCheck.get(check.id) ?? new Map()
    perNode.set(check.node!, check.status)
    statusByCheck.set(check.id, perNode)
  }
  const differing = [...statusByCheck].filter(([, perNode]) => new Set(perNode.values()).size > 1 || perNode.size < reports.length)
  const comparison: CheckResult = differing.length
    ? {
        id: 'nodes-differ',
        status: 'warn',
        summary: `The nodes disagree on ${differing.length} check${differing.length === 1 ? '' : 's'}: ${differing.map(([id]) => id).join(', ')}.`,
        evidence: differing.map(
          ([id, perNode]) => `${id}: ${reports.map(({node}) => `${node}=${perNode.get(node) ?? 'missing'}`).join(', ')}`,
        ),
        cause: 'Nodes differ in DNS, network or dind behaviour, so jobs succeed or fail depending on where they land.',
        remediation:
          'Compare the failing nodes with the passing ones (node pools, kernel, CNI, NodeLocal DNSCache) and fix or taint the odd ones out.',
        durationMs: 0,
      }
    : {
        id: 'nodes-differ',
        status: 'pass',
        summary: `All ${reports.length} nodes gave the same results.`,
        evidence: reports.map(({node}) => node),
        durationMs: 0,
      }
  const exitCodes = reports.map(({report}) => report.summary.exitCode)
  const merged = buildReport('all-nodes', [comparison, ...checks], {totalMs}, {namespace, nodes: reports.map(({node}) => node)})
  if (exitCodes.includes(2) && merged.summary.exitCode === 0) merged.summary.exitCode = 2
  return merged
}
