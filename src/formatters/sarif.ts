import {pathToFileURL} from 'node:url'
import type {Finding, FormatContext, LintResult, RuleSummary, Severity} from '../lint/types.js'
import {reportPath, STDIN_PATH} from './paths.js'

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
export const TOOL_NAME = 'runner-doctor'
/** The package's registry page: the one address that exists for every released version. */
export const TOOL_INFORMATION_URI = 'https://www.npmjs.com/package/runner-doctor'
/** Key of the partial fingerprint; bump the version if the engine's fingerprint recipe changes. */
export const FINGERPRINT_KEY = 'runnerDoctor/v2'
/** Base id for artifact paths, resolved through `originalUriBaseIds` to the working directory. */
export const SOURCE_ROOT = '%SRCROOT%'

type SarifLevel = 'error' | 'warning' | 'note'

export const SARIF_LEVEL: Record<Severity, SarifLevel> = {error: 'error', warning: 'warning', info: 'note'}

type Json = Record<string, unknown>

function text(value: string): {text: string} {
  return {text: value}
}

function ruleDescriptor(rule: RuleSummary): Json {
  const descriptor: Json = {
    id: rule.id,
    shortDescription: text(rule.title || rule.id),
  }
  if (rule.rationale) descriptor.fullDescription = text(rule.rationale)
  if (rule.remediation) descriptor.help = text(rule.remediation)
  if (rule.docsUrl) descriptor.helpUri = rule.docsUrl
  descriptor.defaultConfiguration = {level: SARIF_LEVEL[rule.severity]}
  if (rule.category) descriptor.properties = {category: rule.category, tags: [rule.category]}
  return descriptor
}

/** A finding whose rule is missing from the catalog still gets a descriptor, so ruleIndex is always valid. */
function ruleFromFinding(finding: Finding): RuleSummary {
  return {
    id: finding.ruleId,
    title: finding.ruleId,
    severity: finding.severity,
    category: '',
    rationale: '',
    remediation: finding.remediation,
    docsUrl: finding.docsUrl,
  }
}

/** Relative URI reference: each path segment percent-encoded, so spaces and `#` survive. */
function artifactLocation(file: string, cwd: string): Json {
  const path = reportPath(file, cwd)
  const uri = path.split('/').map(encodeURIComponent).join('/')
  return file === STDIN_PATH ? {uri} : {uri, uriBaseId: SOURCE_ROOT}
}

function region(line: number, column: number, endLine: number, endColumn: number): Json | undefined {
  if (!(line >= 1)) return undefined
  const result: Json = {startLine: line}
  if (column >= 1) result.startColumn = column
  if (endLine >= line) result.endLine = endLine
  if (endColumn >= 1 && (endLine > line || endColumn >= column)) result.endColumn = endColumn
  return result
}

function physicalLocation(artifact: Json, where: Json | undefined): Json {
  const location: Json = {artifactLocation: artifact}
  if (where) location.region = where
  return {physicalLocation: location}
}

function resultFor(finding: Finding, ruleIndex: number, artifact: Json): Json {
  const result: Json = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: text(finding.message),
    locations: [physicalLocation(artifact, region(finding.line, finding.column, finding.endLine, finding.endColumn))],
  }
  if (finding.fingerprint) result.partialFingerprints = {[FINGERPRINT_KEY]: finding.fingerprint}
  if (finding.suppressed) {
    result.suppressions = [
      {
        kind: finding.suppressed.by === 'config' ? 'external' : 'inSource',
        status: 'accepted',
        justification: finding.suppressed.reason,
      },
    ]
  }
  if (finding.pointer) result.properties = {pointer: finding.pointer}
  return result
}

/**
 * SARIF 2.1.0 with one run. Rules come from the catalog in `ctx.rules`; file errors become tool
 * execution notifications and mark the invocation unsuccessful, as they make the run exit 2.
 */
export function formatSarif(result: LintResult, ctx: FormatContext): string {
  const rules: RuleSummary[] = [...ctx.rules]
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]))
  const results: Json[] = []
  const notifications: Json[] = []

  for (const file of result.files) {
    // Once per file: a file can hold thousands of findings, all at the same artifact.
    const artifact = artifactLocation(file.path, ctx.cwd)
    if (file.error) {
      notifications.push({
        level: 'error',
        message: text(file.error.message),
        locations: [physicalLocation(artifact, region(file.error.line, file.error.column, 0, 0))],
      })
    }
    for (const finding of file.findings) {
      let index = ruleIndex.get(finding.ruleId)
      if (index === undefined) {
        index = rules.push(ruleFromFinding(finding)) - 1
        ruleIndex.set(finding.ruleId, index)
      }
      results.push(resultFor(finding, index, artifact))
    }
  }

  const invocation: Json = {executionSuccessful: result.summary.filesWithErrors === 0}
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: ctx.toolVersion,
            informationUri: TOOL_INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [invocation],
        // Columns count UTF-16 code units (an emoji is two), as editors and GitHub code scanning do.
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: {[SOURCE_ROOT]: {uri: directoryUri(ctx.cwd)}},
        results,
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}

/** SARIF requires a base URI to end with a slash. */
function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href
  return href.endsWith('/') ? href : `${href}/`
}
