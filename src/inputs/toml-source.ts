import {parse as parseToml, TomlError} from 'smol-toml'

import {prepareTemplatedToml, type TemplateNote} from './helm-template.js'
import type {Position, Span} from './position.js'
import {encodePointer} from './yaml-source.js'

export interface TomlDoc {
  data?: Record<string, unknown>
  error?: {message: string; position: Position}
  notes: TemplateNote[]
  templated: boolean
  /** Span of the key (or table header) a pointer names; nearest existing ancestor otherwise. */
  locate(pointer: string): Span
}

interface TomlAstNode {
  type: string
  kind?: string
  resolvedKey?: Array<string | number>
  key?: {keys: Array<{name?: string; value?: string}>}
  value?: TomlAstNode
  body?: TomlAstNode[]
  elements?: TomlAstNode[]
  loc: {start: {line: number; column: number}; end: {line: number; column: number}}
}

type TomlAstModule = {parseTOML(text: string): {body: TomlAstNode[]}}
let astModule: TomlAstModule | undefined

/** The AST parser is only needed to place findings, so it is loaded when the first finding needs a position. */
export async function loadTomlLocator(): Promise<void> {
  astModule ??= (await import('toml-eslint-parser')) as unknown as TomlAstModule
}

function toSpan(loc: TomlAstNode['loc']): Span {
  return {
    start: {line: loc.start.line, column: loc.start.column + 1},
    end: {line: loc.end.line, column: loc.end.column + 1},
  }
}

function indexLocations(text: string): Map<string, Span> {
  const spans = new Map<string, Span>()
  if (!astModule) throw new Error('loadTomlLocator() must run before TOML positions are read.')
  let program: {body: TomlAstNode[]}
  try {
    program = astModule.parseTOML(text)
  } catch {
    return spans
  }
  // Pointers grow one segment at a time: rebuilding each prefix from scratch made deep tables cubic.
  const visitValue = (pointer: string, node: TomlAstNode | undefined) => {
    if (!node) return
    if (node.type === 'TOMLInlineTable') {
      for (const kv of node.body ?? []) visitKeyValue(pointer, kv)
    } else if (node.type === 'TOMLArray') {
      node.elements?.forEach((el, i) => {
        const p = pointer + encodePointer([i])
        spans.set(p, toSpan(el.loc))
        visitValue(p, el)
      })
    }
  }
  const visitKeyValue = (base: string, kv: TomlAstNode) => {
    const names = (kv.key?.keys ?? []).map((k) => String(k.name ?? k.value))
    const span = toSpan(kv.loc)
    const keySpanEnd = kv.value ? {line: kv.value.loc.end.line, column: kv.value.loc.end.column + 1} : span.end
    let pointer = base
    for (const name of names) {
      pointer += encodePointer([name])
      if (!spans.has(pointer)) spans.set(pointer, {start: span.start, end: keySpanEnd})
    }
    visitValue(pointer, kv.value)
  }
  for (const top of program.body) {
    for (const node of top.body ?? []) {
      if (node.type === 'TOMLTable') {
        const path = node.resolvedKey ?? []
        const header = toSpan(node.loc)
        const headerEnd = {
          line: header.start.line,
          column:
            header.start.column +
            2 +
            (node.key?.keys ?? []).map((k) => String(k.name ?? k.value)).join('.').length +
            (node.kind === 'array' ? 2 : 0),
        }
        let pointer = ''
        for (const segment of path) {
          pointer += encodePointer([segment])
          if (!spans.has(pointer)) spans.set(pointer, {start: header.start, end: headerEnd})
        }
        for (const kv of node.body ?? []) visitKeyValue(pointer, kv)
      } else if (node.type === 'TOMLKeyValue') {
        visitKeyValue('', node)
      }
    }
  }
  return spans
}

/** Deeper TOML than this is refused, as deep YAML is: no runner setting is nested more than a few levels. */
export const MAX_TOML_DEPTH = 200

function tooDeep(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (depth > maxDepth) return true
    if (value !== null && typeof value === 'object') for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  return false
}

export function parseTomlText(source: string): TomlDoc {
  // A byte order mark is not part of the first line as editors count columns, and the locator parser rejects it.
  const prepared = prepareTemplatedToml(source.replace(/^\uFEFF/, ''))
  let spans: Map<string, Span> | undefined
  const locate = (pointer: string): Span => {
    spans ??= indexLocations(prepared.text)
    let p = pointer
    while (p !== '') {
      const hit = spans.get(p)
      if (hit) return hit
      p = p.slice(0, p.lastIndexOf('/'))
    }
    return {start: {line: 1, column: 1}, end: {line: 1, column: 1}}
  }
  try {
    const data = parseToml(prepared.text, {maxDepth: MAX_TOML_DEPTH}) as Record<string, unknown>
    if (tooDeep(data, MAX_TOML_DEPTH)) {
      return {
        error: {message: `TOML nesting is deeper than ${MAX_TOML_DEPTH} levels.`, position: {line: 1, column: 1}},
        notes: prepared.notes,
        templated: prepared.templated,
        locate,
      }
    }
    return {data, notes: prepared.notes, templated: prepared.templated, locate}
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '')
      return {
        error: {message: sentence(message), position: {line: error.line, column: error.column}},
        notes: prepared.notes,
        templated: prepared.templated,
        locate,
      }
    }
    throw error
  }
}

function sentence(message: string): string {
  const trimmed = message.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}
