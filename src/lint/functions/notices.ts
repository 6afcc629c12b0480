import {PLACEHOLDER} from '../../model/secrets.js'
import {isPlainObject} from '../../model/chart.js'
import {encodePointer} from '../../inputs/yaml-source.js'
import type {FileRuleFunction, FunctionResult, RuleFunction} from './types.js'
import {parseInlineDirectives} from '../suppressions.js'

/** `${var}` left by Terraform templatefile, envsubst or Flux substitution: named once, not judged as config. */
export const unrenderedPlaceholders: RuleFunction = ({target}) => {
  const out: FunctionResult[] = []
  const visit = (value: unknown, path: Array<string | number>) => {
    if (typeof value === 'string') {
      const m = PLACEHOLDER.exec(value)
      if (m) out.push({pointer: encodePointer(path), message: `${m[0]} is an unrendered placeholder; the value is checked after it is substituted.`})
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]))
    else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        // runners.config is checked as TOML by its own target.
        if (target.type === 'values' && path.length === 1 && path[0] === 'runners' && k === 'config') continue
        visit(v, [...path, k])
      }
    }
  }
  visit(target.type === 'values' ? target.user : target.data, [])
  return out
}

/** Helm template actions in `runners.config` that lint did not evaluate. */
export const templateNotEvaluated: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml') return []
  return target.templateNotes.map((note) => ({pointer: '', message: `Helm template ${note.action.replace(/\s+/g, ' ')}: ${note.effect}.`, at: note.span}))
}

/** An inline suppression must say why; one without a reason does not suppress. */
export const suppressionWithoutReason: FileRuleFunction = ({file}) =>
  parseInlineDirectives(file.lines)
    .filter((d) => d.reason === '')
    .map((d) => ({line: d.directiveLine, column: d.column, message: `This runner-doctor-disable-next-line comment has no reason (add " -- why"), so it suppresses nothing.`}))
