import type {CheckResult, ProbeReport} from '../types.js'
import {findCauses} from '../report/causes.js'
import {buildReport, couldNotRunReport, REPORT_LINE_PREFIX, summarize} from '../report/summary.js'
import type {KubeError} from './kube-api.js'
import type {WaitTimings} from './wait.js'

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
        summary:
          `The nodes disagree on ${differing.length} ` +
          `check${differing.length === 1 ? '' : 's'}: ${differing.map(([id]) => id).join(', ')}.`,
        evidence: differing.map(
          ([id, perNode]) => `${id}: ${reports.map(({node}) => `${node}=${perNode.get(node) ?? 'missing'}`).join(', ')}`,
        ),
        cause: 'Nodes differ in DNS, network or dind behaviour, so jobs succeed or fail depending on where they land.',
        remediation:
          'Compare the failing nodes with the passing ones (node pools, kernel, CNI, NodeLocal DNSCache) ' +
          'and fix or taint the odd ones out.',
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

/** The check program's report as this run's: its mode and target, with checks made from this side added first. */
export function combine(
  mode: ProbeReport['mode'],
  agentReport: ProbeReport,
  extra: CheckResult[],
  target: ProbeReport['target'],
): ProbeReport {
  const checks = [...extra, ...agentReport.checks]
  // Causes are found again over every check: a check from this side (dind exited) may explain the agent's ones.
  const causes = findCauses(checks)
  const summary = {...summarize(checks, causes), ...(agentReport.summary.exitCode === 2 ? {exitCode: 2 as const} : {})}
  return {...agentReport, mode, target, checks, causes, summary}
}

/** The run's timings since `started`: when the pod was scheduled and started, when dind was ready, how long the checks took. */
export function withTimings(report: ProbeReport, timings: WaitTimings, agentReport: ProbeReport | undefined, started: number): ProbeReport {
  const dindReady = agentReport?.timings.dindReadyMs
  return {
    ...report,
    timings: {
      ...(timings.scheduledMs !== undefined ? {scheduledMs: timings.scheduledMs} : {}),
      ...(timings.startedMs !== undefined ? {startedMs: timings.startedMs} : {}),
      ...(dindReady !== undefined && timings.startedMs !== undefined ? {dindReadyMs: timings.startedMs + dindReady} : {}),
      ...(agentReport?.timings.checksMs !== undefined ? {checksMs: agentReport.timings.checksMs} : {}),
      totalMs: Date.now() - started,
    },
  }
}

/** Adds the checks made before the run (identity, optional permissions) to its report. */
export function withExtraChecks(report: ProbeReport, extra: CheckResult[]): ProbeReport {
  if (!extra.length || (report.summary.exitCode === 2 && report.checks.length === 0)) return report
  // After the run's own checks: a blocked report's first check stays the one that blocked it.
  const checks = [...report.checks, ...extra]
  const causes = findCauses(checks)
  return {
    ...report,
    checks,
    causes,
    summary: {...summarize(checks, causes), ...(report.summary.exitCode === 2 ? {exitCode: 2 as const} : {})},
  }
}

/** The Kubernetes API failed the run: why, in terms of the kubeconfig, the network or the request. */
export function unreachableReport(mode: ProbeReport['mode'], error: KubeError, totalMs: number, clusterName: string): ProbeReport {
  return blockedReport(
    mode,
    {
      id: 'kube-api',
      summary: `The Kubernetes API of cluster "${clusterName}" could not be used: ${error.message}`,
      evidence: [error.httpStatus ? `HTTP ${error.httpStatus} ${error.reason ?? ''}`.trim() : error.kind],
      cause:
        error.kind === 'unauthorized'
          ? 'The kubeconfig credentials are wrong or expired.'
          : error.transient
            ? 'The API server is down, unreachable from here, or overloaded.'
            : 'The API server refused a request the probe needs.',
      remediation:
        error.kind === 'unauthorized'
          ? 'Refresh the kubeconfig credentials and retry.'
          : error.transient
            ? 'Check the kubeconfig server address and your network path to it, then retry.'
            : 'Read the message above; it names what the API server objects to.',
    },
    totalMs,
  )
}
