import type {AnalyzedFile} from '../inputs/detect.js'
import type {LintTarget} from '../inputs/targets.js'
import {decodePointer} from '../inputs/yaml-source.js'
import {isSecretKey} from '../model/secrets.js'
import {createAjv} from '../util/ajv.js'
import {fingerprintHash} from '../util/fingerprint-hash.js'
import {FILE_FUNCTIONS, FUNCTIONS} from './functions/index.js'
import type {FunctionResult, LintEnvironment} from './functions/types.js'
import {expandGiven, valueAt} from './pointer.js'
import {docsUrl, precompiledValidator, type Rule, type SchemaCheck} from './rule.js'
import type {Finding, Severity} from './types.js'

type Validator = ((data: unknown) => boolean) & {errors?: Array<{instancePath: string; message?: string; keyword: string; params: Record<string, unknown>}> | null}

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
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => vars[name] ?? '').replace(/\s+/g, ' ').replace(/\(\s*\)/g, '').trim()
}

export async function runRulesOnTarget(target: LintTarget, rules: Rule[], env: LintEnvironment, schemas: SchemaCache): Promise<RawFinding[]> {
  const out: RawFinding[] = []
  const emit = (rule: Rule, r: FunctionResult) => {
    const place = r.inValues && target.type === 'config-toml' && target.values ? target.values : target
    // Values other files complete are judged on what is written: a chart default there may be overridden.
    if (place.type === 'values' && place.completedBy && r.pointer !== '' && valueAt(place.user, r.pointer) === undefined) return
    const span = r.at ?? place.locate(r.pointer)
    out.push({rule, severity: r.severity ?? rule.severity, message: r.message, pointer: place.pointerBase + r.pointer, docIndex: target.docIndex, start: span.start, end: span.end})
  }
  for (const rule of rules) {
    if (rule.target !== target.type) continue
    if ('schema' in rule.check) {
      const check = rule.check
      const validate = await schemas.get(rule, check.schema)
      for (const node of expandGiven(target, check.given, rule.executor)) {
        if (validate(node.value)) continue
        const seen = new Set<string>()
        for (const error of validate.errors ?? []) {
          if (['not', 'anyOf', 'oneOf', 'allOf', 'if'].includes(error.keyword) && (validate.errors?.length ?? 0) > 1 && error.instancePath === '') continue
          const pointer = node.pointer + error.instancePath
          if (seen.has(pointer)) continue
          seen.add(pointer)
          const missing = typeof error.params.missingProperty === 'string' ? error.params.missingProperty : ''
          emit(rule, {pointer, message: renderMessage(rule.message, target, pointer, {error: error.message ?? '', missing})})
        }
      }
    } else {
      const fn = FUNCTIONS[rule.check.function]
      if (!fn) throw new Error(`Rule ${rule.id}: unknown function "${rule.check.function}".`)
      const given = rule.check.given ? expandGiven(target, rule.check.given, rule.executor) : [{pointer: '', value: target.data}]
      if (rule.check.given && given.length === 0) continue
      for (const r of fn({rule, target, given, options: rule.check.options ?? {}, env})) emit(rule, r)
    }
  }
  return out
}

export function runFileRules(file: AnalyzedFile, rules: Rule[]): RawFinding[] {
  const out: RawFinding[] = []
  for (const rule of rules) {
    if (rule.target !== 'file' || !('function' in rule.check)) continue
    const fn = FILE_FUNCTIONS[rule.check.function]
    if (!fn) throw new Error(`Rule ${rule.id}: unknown file function "${rule.check.function}".`)
    for (const r of fn({rule, file})) {
      const at = {line: r.line, column: r.column}
      out.push({rule, severity: rule.severity, message: r.message, pointer: '', docIndex: 0, start: at, end: at})
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
