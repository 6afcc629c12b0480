import {isPlainObject} from '../../model/chart.js'
import {configKeyIssues} from '../../model/config-key-issues.js'
import {KUBERNETES, type ValueKind} from '../../model/known-keys.js'
import {defineRule, type MessageData} from '../define-rule.js'

const WRONG_TYPE = '{{key}} in {{where}} must be {{expected}}, not {{actual}}: GitLab Runner fails to load this configuration.'

const KIND_TEXT: Record<ValueKind, string> = {
  string: 'a string',
  bool: 'true or false',
  int: 'a whole number',
  duration: 'a duration such as "10m"',
  'string-array': 'an array of strings',
  'string-or-array': 'a string or an array of strings',
  'int-array': 'an array of numbers',
  'string-map': 'a table of string values',
  'bool-map': 'a table of true/false values',
  'int-map': 'a table of numbers',
  table: 'a table',
  'table-array': 'an array of tables',
  any: 'a value',
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'boolean') return 'a boolean'
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? 'a number' : 'a decimal number'
  if (Array.isArray(value)) return value.every(isPlainObject) && value.length > 0 ? 'an array of tables' : 'an array'
  if (isPlainObject(value)) return 'a table'
  return 'a date'
}

type Hint =
  | {messageId: 'wrongType'}
  | {messageId: 'dockerStyleVolumes'}
  | {messageId: 'quoted'; unquoted: string}
  | {messageId: 'unquotedString'; written: string}
  | {messageId: 'unquotedMapValue'; entry: string}

/** The usual slip behind a wrong type, when the value shows it. */
function hintFor(key: string, where: string, kind: ValueKind, value: unknown): Hint {
  if (key === 'volumes' && where === KUBERNETES.display && Array.isArray(value)) return {messageId: 'dockerStyleVolumes'}
  if (kind === 'bool' && typeof value === 'string' && /^(true|false)$/i.test(value))
    return {messageId: 'quoted', unquoted: value.toLowerCase()}
  if (kind === 'int' && typeof value === 'string' && /^\d+$/.test(value)) return {messageId: 'quoted', unquoted: value}
  if (kind === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    return {messageId: 'unquotedString', written: String(value)}
  if (kind === 'string-map' && isPlainObject(value)) {
    const bad = Object.entries(value).find(([, v]) => typeof v !== 'string')
    if (bad) return {messageId: 'unquotedMapValue', entry: bad[0]}
  }
  return {messageId: 'wrongType'}
}

export default defineRule({
  id: 'toml-value-wrong-type',
  target: 'config-toml',
  messages: {
    wrongType: WRONG_TYPE,
    dockerStyleVolumes:
      `${WRONG_TYPE} Docker-style "host:container" strings do not ` + `work here; use [[runners.kubernetes.volumes.host_path]] tables.`,
    quoted: `${WRONG_TYPE} Write {{key}} = {{unquoted}} without quotes.`,
    unquotedString: `${WRONG_TYPE} Quote it: {{key}} = "{{written}}".`,
    unquotedMapValue: `${WRONG_TYPE} The value of {{entry}} must be quoted.`,
  },
  check: ({target}) =>
    configKeyIssues(target, 'type').map(({pointer, key, where, expected, value}) => {
      const {messageId, ...hint} = hintFor(key, where, expected, value)
      const data: MessageData = {key, where, expected: KIND_TEXT[expected], actual: describe(value), ...hint}
      return {pointer, messageId, data}
    }),
})
