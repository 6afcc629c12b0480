import type {Capacity, FileResult, Finding, FormatContext, LintResult, LintSummary} from '../lint/types.js'

/*
 * The JSON document is a documented, stable interface. Every object is rebuilt field by field so the
 * key order never depends on how the engine happened to build its objects, and so nothing the types do
 * not name (for example a raw value an engine bug attached to a finding) can reach the output.
 */

function findingDocument(finding: Finding): Record<string, unknown> {
  const document: Record<string, unknown> = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    pointer: finding.pointer,
    fingerprint: finding.fingerprint,
    remediation: finding.remediation,
    docsUrl: finding.docsUrl,
  }
  if (finding.suppressed) document.suppressed = {by: finding.suppressed.by, reason: finding.suppressed.reason}
  return document
}

function resourcesDocument(value: {cpuMillicores?: number | null; memoryBytes?: number | null}): Record<string, number | null | undefined> {
  return {cpuMillicores: value.cpuMillicores, memoryBytes: value.memoryBytes}
}

function capacityDocument(capacity: Capacity): Record<string, unknown> {
  const document: Record<string, unknown> = {
    maxConcurrentJobs: capacity.maxConcurrentJobs,
    managerReplicas: capacity.managerReplicas,
    replicasSource: capacity.replicasSource,
    concurrent: capacity.concurrent,
    runnerLimitSum: capacity.runnerLimitSum,
    perJobRequests: resourcesDocument(capacity.perJobRequests),
    perJobLimits: resourcesDocument(capacity.perJobLimits),
    totalRequests: capacity.totalRequests ? resourcesDocument(capacity.totalRequests) : null,
  }
  if (capacity.clusterCapacity) document.clusterCapacity = resourcesDocument(capacity.clusterCapacity)
  return document
}

function fileDocument(file: FileResult): Record<string, unknown> {
  const document: Record<string, unknown> = {path: file.path, kind: file.kind}
  if (file.skipped !== undefined) document.skipped = file.skipped
  if (file.chartVersion !== undefined) document.chartVersion = file.chartVersion
  if (file.runnerVersion !== undefined) document.runnerVersion = file.runnerVersion
  if (file.completedBy !== undefined) document.completedBy = file.completedBy
  if (file.error) document.error = {message: file.error.message, line: file.error.line, column: file.error.column}
  if (file.capacity) document.capacity = capacityDocument(file.capacity)
  document.findings = file.findings.map(findingDocument)
  return document
}

function summaryDocument(summary: LintSummary): Record<keyof LintSummary, unknown> {
  return {
    files: summary.files,
    filesWithErrors: summary.filesWithErrors,
    skipped: summary.skipped,
    errors: summary.errors,
    warnings: summary.warnings,
    infos: summary.infos,
    suppressed: summary.suppressed,
    rulesRun: summary.rulesRun,
    rulesPassed: summary.rulesPassed,
    chartVersion: summary.chartVersion,
    chartVersionSource: summary.chartVersionSource,
    exitCode: summary.exitCode,
  }
}

/** `{files: [...], summary}` with two-space indentation; suppressed findings are included and marked. */
export function formatJson(result: LintResult, _ctx: FormatContext): string {
  const document = {files: result.files.map(fileDocument), summary: summaryDocument(result.summary)}
  return `${JSON.stringify(document, null, 2)}\n`
}
