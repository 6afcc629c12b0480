import type {FileError, InputKind} from '../inputs/types.js'
import type {Capacity} from '../model/capacity.js'

export type Severity = 'error' | 'warning' | 'info'

export const SEVERITY_RANK: Record<Severity, number> = {info: 1, warning: 2, error: 3}

export interface Suppression {
  by: 'config' | 'inline'
  reason: string
}

/** One problem, placed at a line and column of the original file (1-based). */
export interface Finding {
  ruleId: string
  severity: Severity
  message: string
  /** Path as given on the command line (or `-` for stdin). */
  file: string
  /** JSON Pointer into the file's data; embedded TOML continues the pointer of its YAML string. */
  pointer: string
  line: number
  column: number
  endLine: number
  endColumn: number
  remediation: string
  docsUrl: string
  /** 128-bit hash of the relative path, document, pointer, rule id and message: stable when lines move. */
  fingerprint: string
  suppressed?: Suppression
}

export type {Capacity}

export interface FileResult {
  path: string
  kind: InputKind
  /** Why a file was skipped (kind `skipped`). */
  skipped?: string
  findings: Finding[]
  capacity?: Capacity
  /** Set when the file could not be read or parsed; the run then exits 2. */
  error?: FileError
  chartVersion?: string
  runnerVersion?: string
  /** Other files complete this file's values (`spec.valuesFrom`, ...): only what is written here was checked. */
  completedBy?: string
}

export interface LintSummary {
  files: number
  filesWithErrors: number
  skipped: number
  errors: number
  warnings: number
  infos: number
  suppressed: number
  rulesRun: number
  rulesPassed: number
  chartVersion: string
  chartVersionSource: 'flag' | 'newest-known' | 'file'
  exitCode: 0 | 1 | 2
}

export interface LintResult {
  files: FileResult[]
  summary: LintSummary
}

export interface FormatContext {
  /** Absolute working directory, to make paths relative (Code Quality requires relative paths). */
  cwd: string
  color: boolean
  verbose: boolean
  toolVersion: string
  /** Rule metadata, for formats that describe rules (SARIF). */
  rules: RuleSummary[]
}

export interface RuleSummary {
  id: string
  title: string
  severity: Severity
  category: string
  rationale: string
  remediation: string
  docsUrl: string
}

export type Formatter = (result: LintResult, ctx: FormatContext) => string
