import fc from 'fast-check'

import {SECRET_LINES_TOML, SECRET_LINES_YAML} from './secrets.js'

/**
 * One edit of a file's bytes. Positions are plain integers taken modulo the current length, so fast-check
 * shrinks them towards the start of the file and a counterexample stays readable.
 */
export type Mutation =
  | {op: 'truncate'; at: number}
  | {op: 'flipByte'; at: number; byte: number}
  | {op: 'insertBytes'; at: number; bytes: number[]}
  | {op: 'deleteLine'; line: number}
  | {op: 'duplicateLine'; line: number}
  | {op: 'swapLines'; line: number; other: number}
  | {op: 'wrongType'; line: number; value: string}
  | {op: 'deepNesting'; line: number; depth: number; style: NestingStyle}
  | {op: 'hugeScalar'; line: number; size: number; char: string}
  | {op: 'template'; line: number; snippet: string}
  | {op: 'plantSecret'; line: number; text: string}
  | {op: 'aliasBomb'; levels: number}
  | {op: 'crlf'}
  | {op: 'bom'}
  | {op: 'tabs'}

export type NestingStyle = 'yaml-flow' | 'yaml-block' | 'toml-array' | 'toml-inline-table' | 'toml-tables'

/** Values of the wrong type (and odd values of the right one) for any key, in YAML and TOML spellings. */
export const WRONG_VALUES = [
  '[]',
  '{}',
  'true',
  'false',
  '-1',
  '0',
  '-0',
  '1e309',
  '99999999999999999999999999',
  '0x7fffffffffffffffff',
  '.nan',
  '-.inf',
  'null',
  '~',
  '"1GB"',
  '"-500m"',
  '"1e3Ki"',
  '"Infinity"',
  '"NaN"',
  '[1, [2, [3]]]',
  '[a, {b: c}]',
  '{ a = 1 }',
  '[1, "a", true]',
  '!!binary aGVsbG8=',
  '!!int "x"',
  '!!float abc',
  '!!timestamp nope',
  '&anchor value',
  '*undefinedAlias',
  '|',
  '>-',
  "'''",
  '"""',
  '1979-05-27T07:32:00Z',
  'inf',
  'nan',
  '+1_000',
  '0b102',
  '"{{ .Values.x }}"',
  '{{ .Values.x | toToml }}',
  '"${RUNNER_TOKEN}"',
  '"🚀 emoji 漢字 ü"',
  '"\\u0000"',
  '"\\uD800"',
  '"__proto__"',
  '{"__proto__": {"polluted": true}}',
  '"constructor"',
  '? complex key',
  '- item',
  ': colon',
  '# comment only',
  '"unterminated',
  "'unterminated",
  '[unterminated',
  '{unterminated',
  '=',
  '""""""',
  '"\\x"',
]

export const TEMPLATE_SNIPPETS = [
  '{{ if .Values.x }}',
  '{{- if .Values.x }}',
  '{{ else }}',
  '{{ end }}',
  '{{- end }}',
  '{{ range .Values.list }}',
  '{{- with .Values.y -}}',
  '{{',
  '}}',
  '{{ .Values.unterminated',
  '{{ toToml .Values.extra }}',
  '{{ include "x" . | nindent 4 }}',
  '{{/* comment */}}',
  '{{ define "a" }}',
  '{{ block "b" . }}',
  'key = "{{ .Release.Namespace }}"',
  'key = {{ .Values.n }}',
  '{{ if }}{{ if }}{{ if }}',
  '{{ end }}{{ end }}{{ end }}{{ end }}',
  '"{{" }}',
  '{{ "}}" }}',
  '{{ template "x" }}',
  '{{- /* unclosed comment',
]

const SPECIAL_BYTES = [
  0x00, 0xff, 0xfe, 0xc3, 0x80, 0xed, 0xa0, 0x0d, 0x0a, 0x09, 0x22, 0x27, 0x5b, 0x7b, 0x3a, 0x3d, 0x26, 0x2a, 0x21, 0x7c,
]

const position = fc.nat({max: 1_000_000})

// The default run keeps large inputs moderate to stay within its time budget (regression fixtures and the limits
// tests cover the big ones); `npm run test:fuzz` sets FUZZ_LARGE=1 for scalars up to 300 KB and nesting up to 3,000.
const LARGE = process.env.FUZZ_LARGE === '1'
const MAX_SCALAR = LARGE ? 300_000 : 16_000
const MAX_DEPTH = LARGE ? 3_000 : 600

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {arbitrary: fc.record({op: fc.constant('truncate' as const), at: position}), weight: 3},
  {
    arbitrary: fc.record({
      op: fc.constant('flipByte' as const),
      at: position,
      byte: fc.oneof(fc.constantFrom(...SPECIAL_BYTES), fc.nat({max: 255})),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('insertBytes' as const),
      at: position,
      bytes: fc.array(fc.oneof(fc.constantFrom(...SPECIAL_BYTES), fc.nat({max: 255})), {minLength: 1, maxLength: 8}),
    }),
    weight: 3,
  },
  {arbitrary: fc.record({op: fc.constant('deleteLine' as const), line: position}), weight: 2},
  {arbitrary: fc.record({op: fc.constant('duplicateLine' as const), line: position}), weight: 3},
  {arbitrary: fc.record({op: fc.constant('swapLines' as const), line: position, other: position}), weight: 1},
  {arbitrary: fc.record({op: fc.constant('wrongType' as const), line: position, value: fc.constantFrom(...WRONG_VALUES)}), weight: 6},
  {
    arbitrary: fc.record({
      op: fc.constant('deepNesting' as const),
      line: position,
      depth: fc.oneof(fc.integer({min: 1, max: 50}), fc.integer({min: 150, max: MAX_DEPTH})),
      style: fc.constantFrom<NestingStyle>('yaml-flow', 'yaml-block', 'toml-array', 'toml-inline-table', 'toml-tables'),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('hugeScalar' as const),
      line: position,
      size: fc.integer({min: 1_000, max: MAX_SCALAR}),
      char: fc.constantFrom('a', '🚀', '漢', ' ', '\\', '{', '"'),
    }),
    weight: 1,
  },
  {arbitrary: fc.record({op: fc.constant('template' as const), line: position, snippet: fc.constantFrom(...TEMPLATE_SNIPPETS)}), weight: 3},
  {
    arbitrary: fc.record({
      op: fc.constant('plantSecret' as const),
      line: position,
      text: fc.constantFrom(...SECRET_LINES_YAML, ...SECRET_LINES_TOML),
    }),
    weight: 3,
  },
  {arbitrary: fc.record({op: fc.constant('aliasBomb' as const), levels: fc.integer({min: 2, max: 9})}), weight: 1},
  {arbitrary: fc.constant({op: 'crlf' as const}), weight: 1},
  {arbitrary: fc.constant({op: 'bom' as const}), weight: 1},
  {arbitrary: fc.constant({op: 'tabs' as const}), weight: 1},
)

function splitLines(input: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let i = input.indexOf(0x0a); i !== -1; i = input.indexOf(0x0a, start)) {
    lines.push(input.subarray(start, i))
    start = i + 1
  }
  lines.push(input.subarray(start))
  return lines
}

const joinLines = (lines: Buffer[]) => Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l])))

function indentOf(line: Buffer): string {
  return /^[ \t]*/.exec(line.toString('latin1'))![0]
}

function nested(style: NestingStyle, depth: number, indent: string): string {
  switch (style) {
    case 'yaml-flow':
      return `${indent}deep: ${'['.repeat(depth)}x${']'.repeat(depth)}`
    case 'yaml-block':
      return Array.from({length: depth}, (_, i) => `${indent}${' '.repeat(i * 2)}k${i}:`).join('\n') + ` leaf`
    case 'toml-array':
      return `${indent}deep = ${'['.repeat(depth)}1${']'.repeat(depth)}`
    case 'toml-inline-table':
      return `${indent}deep = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}`
    case 'toml-tables':
      return Array.from({length: Math.min(depth, 400)}, (_, i) => `[${Array.from({length: i + 1}, (__, j) => `t${j}`).join('.')}]`).join(
        '\n',
      )
  }
}

/** The alias bomb from the YAML spec's "billion laughs", `levels` deep with nine references per level. */
export function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol"]']
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({length: 9}, () => `*a${i - 1}`).join(', ')}]`)
  return lines.join('\n')
}

export function applyMutation(input: Buffer, m: Mutation): Buffer {
  const lines = splitLines(input)
  const lineAt = (n: number) => n % lines.length
  switch (m.op) {
    case 'truncate':
      return input.subarray(0, input.length === 0 ? 0 : m.at % input.length)
    case 'flipByte': {
      if (input.length === 0) return Buffer.from([m.byte])
      const out = Buffer.from(input)
      out[m.at % out.length] = m.byte
      return out
    }
    case 'insertBytes': {
      const at = input.length === 0 ? 0 : m.at % (input.length + 1)
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.bytes), input.subarray(at)])
    }
    case 'deleteLine':
      lines.splice(lineAt(m.line), 1)
      return joinLines(lines)
    case 'duplicateLine': {
      const i = lineAt(m.line)
      lines.splice(i, 0, lines[i])
      return joinLines(lines)
    }
    case 'swapLines': {
      const a = lineAt(m.line)
      const b = lineAt(m.other)
      ;[lines[a], lines[b]] = [lines[b], lines[a]]
      return joinLines(lines)
    }
    case 'wrongType': {
      const i = lineAt(m.line)
      const text = lines[i].toString('latin1')
      const assignment = /^(\s*-?\s*[^\s:=#]+\s*[:=]\s*)/.exec(text)
      const head = assignment ? assignment[1] : indentOf(lines[i]) + 'key: '
      lines[i] = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(m.value)])
      return joinLines(lines)
    }
    case 'deepNesting': {
      const i = lineAt(m.line)
      lines.splice(i, 0, Buffer.from(nested(m.style, m.depth, indentOf(lines[i]))))
      return joinLines(lines)
    }
    case 'hugeScalar': {
      const i = lineAt(m.line)
      const text = lines[i].toString('latin1')
      const assignment = /^(\s*-?\s*[^\s:=#]+\s*[:=]\s*)/.exec(text)
      const head = assignment ? assignment[1] : indentOf(lines[i]) + 'huge: '
      const quote = head.trimEnd().endsWith('=') ? '"' : ''
      lines[i] = Buffer.concat([
        Buffer.from(head, 'latin1'),
        Buffer.from(quote + m.char.repeat(Math.ceil(m.size / Buffer.byteLength(m.char))) + quote),
      ])
      return joinLines(lines)
    }
    case 'template':
    case 'plantSecret': {
      const i = lineAt(m.line)
      lines.splice(i, 0, Buffer.concat([Buffer.from(indentOf(lines[i]), 'latin1'), Buffer.from(m.op === 'template' ? m.snippet : m.text)]))
      return joinLines(lines)
    }
    case 'aliasBomb':
      return Buffer.concat([Buffer.from(aliasBomb(m.levels) + '\n'), input])
    case 'crlf':
      return Buffer.from(input.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1')
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), input])
    case 'tabs':
      return Buffer.from(
        input.toString('latin1').replace(/^( {2})+/gm, (s) => '\t'.repeat(s.length / 2)),
        'latin1',
      )
  }
}

export function applyMutations(seed: Buffer, mutations: Mutation[]): Buffer {
  return mutations.reduce(applyMutation, seed)
}
