import type {AnalyzedFile} from '../inputs/detect.js'
import type {Span} from '../inputs/position.js'
import type {LintTarget} from '../inputs/targets.js'
import {decodePointer} from '../inputs/yaml-source.js'
import {isSecretKey} from '../model/secrets.js'
import {createAjv} from '../util/ajv.js'
import {fingerprintHash} from '../util/fingerprint-hash.js'
import type {LintEnvironment} from '../model/capacity.js'
import {isPlaceholderValue} from '../model/placeholders.js'
import {runnersOf, type RunnerView} from '../model/runners.js'
import {
  fillTemplate,
  isFileRule,
  type MessageData,
  MESSAGE_PLACEHOLDER,
  type Report,
  type RuleContext,
  type RuleModule,
  type TargetOf,
} from './define-rule.js'
import {expandGiven, valueAt} from './pointer.js'
import {docsUrl, isSchemaCheck, precompiledValidator, type Rule, type SchemaCheck} from './rule.js'
import {RULE_MODULES} from './rules/index.js'
import type {Finding, Severity} from './types.js'

type Validator = ((data: unknown) => boolean) & {
  errors?: Array<{instancePath: string; message?: string; keyword: string; params: Record<string, unknown>}> | null
}

/** Compiles each rule's JSON Schema once, on first use. */
export class SchemaCache {
  private ajv: Awaited<ReturnType<typeof createAjv>> | undefined
  private readonly compiled = new Map<string, Validator>()

  async get(rule: Rule, schema: SchemaCheck['schema']): Promise<Validator> {
    let v = this.compiled.get(rule.id)
    if (!v) v = (await precompiledValidator(rule.id)) as Validator | undefined
    if (!v) {
      this.ajv ??= await createAjv()
      v = this.ajv.compile(typeof schema === 'boolean' ? schema : {...schema, $async: undefined}) as Validator
      this.compiled.set(rule.id, v)
    }
    return v
  }
}

/** What a rule reported, its message rendered, before it is placed in the file. */
interface RenderedReport {
  /** Pointer relative to the target's data. */
  pointer: string
  message: string
  severity?: Severity
  /** For a chart's `runners.config`: the pointer is into the chart values that hold it, not the TOML. */
  inValues?: boolean
  /** An exact place in the file, for reports that are not about a key (template actions). */
  at?: Span
  /** With `at`, for a place outside the target's data (its wrapper): the pointer from the document's root. */
  documentPointer?: string
}

/** A finding before it is placed in the file and filtered by configuration. */
export interface RawFinding {
  rule: Rule
  severity: Severity
  message: string
  /** Pointer as reported: the target's place in the file followed by the pointer inside it. */
  pointer: string
  docIndex: number
  start: {line: number; column: number}
  end: {line: number; column: number}
}

function describeValue(pointer: string, value: unknown): string {
  const key = decodePointer(pointer).at(-1) ?? ''
  if (isSecretKey(key)) return '(hidden)'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text === undefined ? 'unset' : text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function runnerLabel(target: LintTarget, pointer: string): string {
  const m = /^\/runners\/(\d+)/.exec(pointer)
  if (!m || target.type !== 'config-toml') return ''
  const runner = (target.data.runners as Array<Record<string, unknown>> | undefined)?.[Number(m[1])]
  return typeof runner?.name === 'string' ? `runner "${runner.name}"` : `runners[${m[1]}]`
}

export function renderMessage(template: string, target: LintTarget, pointer: string, extra: Record<string, string> = {}): string {
  const value = valueAt(target.data, pointer)
  const vars: Record<string, string> = {
    key: decodePointer(pointer).at(-1) ?? '',
    value: describeValue(pointer, value),
    runner: runnerLabel(target, pointer),
    ...extra,
  }
  return template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => vars[name] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\)/g, '')
    .trim()
}

/** A rule of a selection with its module (undefined for a JSON-Schema rule). */
interface BoundRule {
  rule: Rule
  module: RuleModule | undefined
}

// Every target of every file walks the rules of its own type only, each with its module looked up once per selection.
const rulesByTarget = new WeakMap<Rule[], Map<Rule['target'], BoundRule[]>>()

function rulesFor(rules: Rule[], type: Rule['target']): BoundRule[] {
  let groups = rulesByTarget.get(rules)
  if (!groups) {
    groups = new Map()
    for (const rule of rules) {
      const group = groups.get(rule.target) ?? []
      group.push({rule, module: RULE_MODULES[rule.id]})
      groups.set(rule.target, group)
    }
    rulesByTarget.set(rules, groups)
  }
  return groups.get(type) ?? []
}

export async function runRulesOnTarget(
  target: LintTarget,
  rules: Rule[],
  env: LintEnvironment,
  schemas: SchemaCache,
): Promise<RawFinding[]> {
  const out: RawFinding[] = []
  const emit = (rule: Rule, r: RenderedReport) => {
    const place = r.inValues && target.type === 'config-toml' && target.values ? target.values : target
    // Values other files complete are judged on what is written: a chart default there may be overridden.
    if (place.type === 'values' && place.completedBy && r.pointer !== '' && valueAt(place.user, r.pointer) === undefined) return
    const span = r.at ?? place.locate(r.pointer)
    // A severity the user configured wins over a rule's own softer or harder variant of a finding.
    out.push({
      rule,
      severity: rule.configuredSeverity ?? r.severity ?? rule.severity,
      message: r.message,
      pointer: r.documentPointer ?? place.pointerBase + r.pointer,
      docIndex: target.docIndex,
      start: span.start,
      end: span.end,
    })
  }
  for (const {rule, module} of rulesFor(rules, target.type)) {
    // Without --cluster there are no facts to judge against: such a rule neither runs nor passes.
    if (rule.requires === 'cluster' && !env.cluster) continue
    const check = rule.check
    if (module) {
      for (const r of runModule(module, rule, target, env)) emit(rule, r)
    } else if (isSchemaCheck(check)) {
      const validate = await schemas.get(rule, check.schema)
      for (const node of expandGiven(target, check.given, rule.executor)) {
        if (validate(node.value)) continue
        const seen = new Set<string>()
        for (const error of validate.errors ?? []) {
          if (
            ['not', 'anyOf', 'oneOf', 'allOf', 'if'].includes(error.keyword) &&
            (validate.errors?.length ?? 0) > 1 &&
            error.instancePath === ''
          )
            continue
          const pointer = node.pointer + error.instancePath
          if (seen.has(pointer)) continue
          seen.add(pointer)
          // A placeholder is filled in at deploy time: the unrendered-placeholder rules name it, no schema judges it.
          if (isPlaceholderValue(valueAt(target.data, pointer))) continue
          const missing = typeof error.params.missingProperty === 'string' ? error.params.missingProperty : ''
          emit(rule, {pointer, message: renderMessage(rule.message ?? '', target, pointer, {error: error.message ?? '', missing})})
        }
      }
    } else {
      throw new Error(`Rule ${rule.id}: no JSON-Schema check and no module src/lint/rules/${rule.id}.ts.`)
    }
  }
  return out
}

/**
 * Runs a rule module on a target of its type. The engine, not the rule, applies the metadata's `executor` and
 * `given`: a rule bound to an executor is not called for a config without such runners.
 */
function runModule(module: RuleModule, rule: Rule, target: LintTarget, env: LintEnvironment): RenderedReport[] {
  if (isFileRule(module) || module.target !== target.type) return []
  let runners: RunnerView[] = []
  if (target.type === 'config-toml') {
    runners = rule.executor ? runnersWith(runnersOf(target), rule.executor) : runnersOf(target)
    if (rule.executor && runners.length === 0) return []
  }
  const given = rule.check.given ? expandGiven(target, rule.check.given, rule.executor) : [{pointer: '', value: target.data}]
  if (rule.check.given && given.length === 0) return []
  const options = 'options' in rule.check ? (rule.check.options ?? {}) : {}
  const ctx = {rule, target, runners, given, options, env} as RuleContext<keyof TargetOf>
  const reports = (module.check as (ctx: RuleContext<keyof TargetOf>) => Array<Report<string>>)(ctx)
  return reports.map((r) => ({
    pointer: r.pointer,
    message: moduleMessage(module, rule, target, r),
    severity: r.severity,
    inValues: r.inValues,
    at: r.at,
    documentPointer: r.documentPointer,
  }))
}

// Most config.toml rules are bound to the kubernetes executor: its runners are picked out once per target.
const runnersByExecutor = new WeakMap<RunnerView[], Map<string, RunnerView[]>>()

function runnersWith(runners: RunnerView[], executor: string): RunnerView[] {
  let byExecutor = runnersByExecutor.get(runners)
  if (!byExecutor) {
    byExecutor = new Map()
    runnersByExecutor.set(runners, byExecutor)
  }
  let picked = byExecutor.get(executor)
  if (!picked) {
    picked = runners.filter((r) => r.executor === executor)
    byExecutor.set(executor, picked)
  }
  return picked
}

/** A module's message by id, its placeholders filled from the report's data and, for `key`, `value` and `runner`, from its pointer. */
function moduleMessage(
  module: RuleModule,
  rule: Rule,
  target: LintTarget | undefined,
  report: {messageId: string; data?: MessageData; pointer?: string},
): string {
  const template = (module.messages as Record<string, string>)[report.messageId]
  if (template === undefined) throw new Error(`Rule ${rule.id}: no message "${report.messageId}".`)
  const vars: MessageData = {...report.data}
  for (const [, name] of template.matchAll(MESSAGE_PLACEHOLDER)) {
    if (vars[name] !== undefined || !target || report.pointer === undefined) continue
    const pointer = report.pointer
    if (name === 'key') vars.key = decodePointer(pointer).at(-1) ?? ''
    else if (name === 'value') vars.value = describeValue(pointer, valueAt(target.data, pointer))
    else if (name === 'runner') vars.runner = runnerLabel(target, pointer)
  }
  return fillTemplate(template, vars, rule.id)
}

export function runFileRules(file: AnalyzedFile, rules: Rule[]): RawFinding[] {
  const out: RawFinding[] = []
  for (const rule of rules) {
    if (rule.target !== 'file') continue
    const module = RULE_MODULES[rule.id]
    if (!module || !isFileRule(module)) throw new Error(`Rule ${rule.id}: target file needs a file module src/lint/rules/${rule.id}.ts.`)
    for (const r of module.check({rule, file})) {
      const at = {line: r.line, column: r.column}
      out.push({
        rule,
        severity: rule.severity,
        message: moduleMessage(module, rule, undefined, r),
        pointer: '',
        docIndex: 0,
        start: at,
        end: at,
      })
    }
  }
  return out
}

export function fingerprint(relPath: string, raw: RawFinding): string {
  return fingerprintHash(`${relPath}\0${raw.docIndex}${raw.pointer}\0${raw.rule.id}\0${raw.message}`)
}

export function toFinding(file: string, relPath: string, raw: RawFinding): Finding {
  return {
    ruleId: raw.rule.id,
    severity: raw.severity,
    message: raw.message,
    file,
    pointer: raw.pointer,
    line: raw.start.line,
    column: raw.start.column,
    endLine: raw.end.line,
    endColumn: raw.end.column,
    remediation: raw.rule.remediation,
    docsUrl: docsUrl(raw.rule.id),
    fingerprint: fingerprint(relPath, raw),
  }
}
