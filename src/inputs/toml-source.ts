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
  const visitValue = (path: Array<string | number>, node: TomlAstNode | undefined, keySpan: Span) => {
    if (!node) return
    if (node.type === 'TOMLInlineTable') {
      for (const kv of node.body ?? []) visitKeyValue(path, kv)
    } else if (node.type === 'TOMLArray') {
      node.elements?.forEach((el, i) => {
        const p = [...path, i]
        spans.set(encodePointer(p), toSpan(el.loc))
        visitValue(p, el, toSpan(el.loc))
      })
    }
    void keySpan
  }
  const visitKeyValue = (base: Array<string | number>, kv: TomlAstNode) => {
    const names = (kv.key?.keys ?? []).map((k) => String(k.name ?? k.value))
    const path = [...base, ...names]
    const span = toSpan(kv.loc)
    const keySpanEnd = kv.value ? {line: kv.value.loc.end.line, column: kv.value.loc.end.column + 1} : span.end
    for (let i = 1; i <= names.length; i++) {
      const pointer = encodePointer([...base, ...names.slice(0, i)])
      if (!spans.has(pointer)) spans.set(pointer, {start: span.start, end: keySpanEnd})
    }
    visitValue(path, kv.value, span)
  }
  for (const top of program.body) {
    for (const node of top.body ?? []) {
      if (node.type === 'TOMLTable') {
        const path = node.resolvedKey ?? []
        const header = toSpan(node.loc)
        const headerEnd = {line: header.start.line, column: header.start.column + 2 + (node.key?.keys ?? []).map((k) => String(k.name ?? k.value)).join('.').length + (node.kind === 'array' ? 2 : 0)}
        for (let i = 1; i <= path.length; i++) {
          const pointer = encodePointer(path.slice(0, i))
          if (!spans.has(pointer)) spans.set(pointer, {start: header.start, end: headerEnd})
        }
        for (const kv of node.body ?? []) visitKeyValue(path, kv)
      } else if (node.type === 'TOMLKeyValue') {
        visitKeyValue([], node)
      }
    }
  }
  return spans
}

export function parseTomlText(source: string): TomlDoc {
  const prepared = prepareTemplatedToml(source)
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
    const data = parseToml(prepared.text) as Record<string, unknown>
    return {data, notes: prepared.notes, templated: prepared.templated, locate}
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '')
      return {error: {message: sentence(message), position: {line: error.line, column: error.column}}, notes: prepared.notes, templated: prepared.templated, locate}
    }
    throw error
  }
}

function sentence(message: string): string {
  const trimmed = message.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}
