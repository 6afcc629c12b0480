import type {AnalyzedFile} from '../inputs/detect.js'
import type {Span} from '../inputs/position.js'
import type {GitlabCiTarget, TomlTarget, ValuesTarget} from '../inputs/targets.js'
import type {LintEnvironment} from '../model/capacity.js'
import type {RunnerView} from '../model/runners.js'
import type {Rule, RuleTarget} from './rule.js'
import type {Severity} from './types.js'

/** The data a rule of each target is handed; `file` rules see the whole file once. */
export interface TargetOf {
  values: ValuesTarget
  'config-toml': TomlTarget
  'gitlab-ci': GitlabCiTarget
}

/** Values a message template may name as `{{name}}`. */
export type MessageData = Record<string, string | number>

export interface RuleContext<T extends keyof TargetOf> {
  rule: Rule
  target: TargetOf[T]
  /**
   * The runners the rule applies to: for config-toml rules with `executor` in their metadata, only runners of
   * that executor (the engine does not call the rule when there are none); empty for other targets.
   */
  runners: RunnerView[]
  /** Each node the metadata's `check.given` pointer matched, relative to the target; the whole target without it. */
  given: Array<{pointer: string; value: unknown}>
  options: Record<string, unknown>
  env: LintEnvironment
}

/** One problem a rule found, before the engine renders its message and places it in the file. */
export interface Report<M extends string> {
  /** Pointer relative to the target's data. */
  pointer: string
  messageId: M
  data?: MessageData
  /** Overrides the rule's severity for this report (a softer variant of the same problem). */
  severity?: Severity
  /** For a chart's `runners.config`: the pointer is into the chart values that hold it, not the TOML. */
  inValues?: boolean
  /** An exact place in the file, for reports that are not about a key (template actions). */
  at?: Span
  /** With `at`, for a place outside the target's data (its wrapper): the pointer from the document's root. */
  documentPointer?: string
}

export interface FileReport<M extends string> {
  line: number
  column: number
  messageId: M
  data?: MessageData
}

interface TargetRuleModule<T extends keyof TargetOf, M extends string> {
  id: string
  target: T
  /** Message templates by id; `{{name}}` is filled from the report's data, `{{key}}`, `{{value}}` and `{{runner}}` from its pointer. */
  messages: Record<M, string>
  check(ctx: RuleContext<T>): Array<Report<M>>
}

interface FileRuleModule<M extends string> {
  id: string
  target: 'file'
  messages: Record<M, string>
  check(ctx: {rule: Rule; file: AnalyzedFile}): Array<FileReport<M>>
}

export type RuleModule = {[T in keyof TargetOf]: TargetRuleModule<T, string>}[keyof TargetOf] | FileRuleModule<string>

/**
 * Declares a rule's code: its target (so the compiler knows what `target` holds), its messages by id and its check.
 * The metadata (title, severity, rationale, ...) is `rules/<id>.yaml`; the build links the two by the id.
 */
export function defineRule<T extends keyof TargetOf, M extends string>(rule: TargetRuleModule<T, M>): TargetRuleModule<T, M>
export function defineRule<M extends string>(rule: FileRuleModule<M>): FileRuleModule<M>
export function defineRule(rule: RuleModule): RuleModule {
  return rule
}

export function isFileRule(module: RuleModule): module is FileRuleModule<string> {
  return module.target === 'file'
}

export const MESSAGE_PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g

/** Fills `{{name}}` placeholders; a name the data lacks is a bug in the rule, so it fails loudly. */
export function fillTemplate(template: string, vars: Record<string, string | number>, ruleId: string): string {
  return template.replace(MESSAGE_PLACEHOLDER, (_, name: string) => {
    if (vars[name] === undefined) throw new Error(`Rule ${ruleId}: message needs {{${name}}}, which the report does not give.`)
    return String(vars[name])
  })
}

export type {RuleTarget}
