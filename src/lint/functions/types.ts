import type {AnalyzedFile} from '../../inputs/detect.js'
import type {Span} from '../../inputs/position.js'
import type {LintTarget} from '../../inputs/targets.js'
import type {Rule} from '../rule.js'
import type {Severity} from '../types.js'

export type {LintEnvironment} from '../../model/capacity.js'
import type {LintEnvironment} from '../../model/capacity.js'

export interface FunctionContext {
  rule: Rule
  target: LintTarget
  /** Each node the rule's `given` pointer matched (pointer relative to the target). */
  given: Array<{pointer: string; value: unknown}>
  options: Record<string, unknown>
  env: LintEnvironment
}

export interface FunctionResult {
  /** Pointer relative to the target's data. */
  pointer: string
  message: string
  severity?: Severity
  /** For a chart's `runners.config`: the pointer is into the chart values that hold it, not the TOML. */
  inValues?: boolean
  /** An exact place in the file, for results that are not about a key (template actions). */
  at?: Span
}

export type RuleFunction = (ctx: FunctionContext) => FunctionResult[]

/** Rules with target `file` look at the file once, not at each target in it. */
export interface FileFunctionContext {
  rule: Rule
  file: AnalyzedFile
}

export interface FileFunctionResult {
  line: number
  column: number
  message: string
}

export type FileRuleFunction = (ctx: FileFunctionContext) => FileFunctionResult[]
