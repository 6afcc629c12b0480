import type {LineIndex, PositionMap, Span} from '../position.js'
import {encodePointer} from '../yaml-source.js'
import type {SyntaxNode} from './hcl-parser.js'

/** A string written in HCL, with the map from positions in its text to the file. */
export interface HclString {
  text: string
  map: PositionMap
}

/** What evaluating HCL literals found out beside the data: positions, and which values Terraform alone knows. */
export interface HclEvaluation {
  source: string
  lines: LineIndex
  /** Span of the attribute key (or tuple item) each pointer names. */
  spans: Map<string, Span>
  /** Position maps of the strings, by pointer: heredocs map line by line, quoted strings column by column. */
  textMaps: Map<string, PositionMap>
  /** Pointers whose value is only known to Terraform (variables, function results): held as `${…}` placeholders. */
  unknown: Set<string>
}

export function newEvaluation(source: string, lines: LineIndex): HclEvaluation {
  return {source, lines, spans: new Map(), textMaps: new Map(), unknown: new Set()}
}

export function spanOf(node: SyntaxNode, lines: LineIndex): Span {
  return {start: lines.position(node.startIndex), end: lines.position(node.endIndex)}
}

export const childrenOf = (node: SyntaxNode): SyntaxNode[] => node.children.filter((c): c is SyntaxNode => c !== null)

/** `${path.module}` is the directory of the .tf file, which is where lint resolves relative paths from. */
export const relativeToModule = (path: string): string => path.replace(/^\$\{path\.(?:module|root|cwd)\}\//, '')

/** An expression reduced to the one node that says what it is (`expression` and `template_expr` only wrap). */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node
  while (
    (current.type === 'expression' ||
      current.type === 'template_expr' ||
      current.type === 'literal_value' ||
      current.type === 'collection_value') &&
    current.childCount === 1
  ) {
    current = current.firstChild!
  }
  return current
}

const TRAVERSAL_PARTS = new Set(['get_attr', 'index', 'splat'])

/**
 * What Terraform would substitute. A reference keeps its name (`var.token`, or `var.tokens` for
 * `var.tokens[each.key]`): a `${var.token}` placeholder, as in a templatefile. Anything more complex is
 * `${terraform_expression}`; source text is never copied beyond names, since it may hold a literal secret.
 */
export function placeholderFor(node: SyntaxNode): string {
  const parts = node.type === 'expression' ? childrenOf(node) : [node]
  const isReference = parts[0]?.type === 'variable_expr' && parts.slice(1).every((p) => TRAVERSAL_PARTS.has(p.type))
  const name = isReference ? /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+/.exec(node.text.trim())?.[0] : undefined
  return name ? `\${${name}}` : '${terraform_expression}'
}

const ESCAPES: Record<string, string> = {n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\'}

function unescapeHcl(raw: string): string {
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (whole, u4: string, u8: string, c: string) => {
    if (u4 || u8) return String.fromCodePoint(Number.parseInt(u4 ?? u8, 16))
    return ESCAPES[c] ?? whole
  })
}

function quotedString(node: SyntaxNode, lines: LineIndex, source: string): HclString {
  const raw = source.slice(node.startIndex + 1, node.endIndex - 1)
  const start = lines.position(node.startIndex + 1)
  // Without escapes the text is the source, so a column inside it is a column of the file.
  const exact = !raw.includes('\\') && !raw.includes('\n')
  return {
    text: unescapeHcl(raw),
    map: exact ? (p) => (p.line === 1 ? {line: start.line, column: start.column + p.column - 1} : start) : () => start,
  }
}

/**
 * A heredoc's text as Terraform reads it: the lines between the markers; `<<-` strips the smallest indentation of
 * the lines that are not blank. Interpolations stay as written (`${var.x}`), as placeholders.
 */
function heredocString(node: SyntaxNode, lines: LineIndex, source: string): HclString {
  const parts = childrenOf(node)
  const flush = parts.find((c) => c.type === 'heredoc_start')?.text === '<<-'
  const [open, close] = parts.filter((c) => c.type === 'heredoc_identifier')
  const contentStart = source.indexOf('\n', open.endIndex) + 1
  const contentEnd = close ? source.lastIndexOf('\n', close.startIndex - 1) + 1 : node.endIndex
  const raw = contentStart > 0 && contentEnd > contentStart ? source.slice(contentStart, contentEnd) : ''
  const firstLine = lines.position(contentStart).line
  let rows = raw.split('\n')
  let indent = 0
  if (flush) {
    const widths = rows.filter((r) => r.trim() !== '').map((r) => /^[ \t]*/.exec(r)![0].length)
    indent = widths.length > 0 ? Math.min(...widths) : 0
    rows = rows.map((r) => r.slice(Math.min(indent, /^[ \t]*/.exec(r)![0].length)))
  }
  // A line that holds only a template directive (`%{ if var.x }`, `%{ endfor }`) is not YAML: it is blanked, so the
  // lines around it are read (every branch and one pass of a loop) and keep their positions.
  rows = rows.map((r) => (/^\s*%\{[^}]*\}\s*$/.test(r) ? '' : r))
  return {text: rows.join('\n'), map: (p) => ({line: firstLine + p.line - 1, column: p.column + indent})}
}

/** The string an expression spells out (quoted, templated or heredoc), or undefined for anything else. */
export function stringOf(expression: SyntaxNode, ev: Pick<HclEvaluation, 'lines' | 'source'>): HclString | undefined {
  const node = unwrap(expression)
  if (node.type === 'string_lit' || node.type === 'quoted_template') return quotedString(node, ev.lines, ev.source)
  if (node.type === 'heredoc_template') return heredocString(node, ev.lines, ev.source)
  return undefined
}

/** An object key: a bare name or a quoted string; a computed key `(var.x)` has no name lint can know. */
function keyOf(expression: SyntaxNode, ev: HclEvaluation): string | undefined {
  const node = unwrap(expression)
  if (node.type === 'variable_expr' && node.childCount === 1) return node.text
  return stringOf(node, ev)?.text
}

/** Plain data for an HCL expression: literals, objects and tuples as written, anything else a placeholder. */
export function evaluate(expression: SyntaxNode, pointer: string, ev: HclEvaluation): unknown {
  const node = unwrap(expression)
  switch (node.type) {
    case 'numeric_lit':
      return Number(node.text)
    case 'bool_lit':
      return node.text === 'true'
    case 'null_lit':
      return null
    case 'string_lit':
    case 'quoted_template':
    case 'heredoc_template': {
      const string = stringOf(node, ev)!
      ev.textMaps.set(pointer, string.map)
      return string.text
    }
    case 'tuple': {
      const items = childrenOf(node).filter((c) => c.type === 'expression')
      return items.map((item, i) => {
        const itemPointer = pointer + encodePointer([i])
        ev.spans.set(itemPointer, spanOf(item, ev.lines))
        return evaluate(item, itemPointer, ev)
      })
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const element of childrenOf(node).filter((c) => c.type === 'object_elem')) {
        const [keyExpression, valueExpression] = childrenOf(element).filter((c) => c.type === 'expression')
        const key = keyExpression && valueExpression ? keyOf(keyExpression, ev) : undefined
        if (key === undefined) continue
        const keyPointer = pointer + encodePointer([key])
        ev.spans.set(keyPointer, spanOf(keyExpression, ev.lines))
        out[key] = evaluate(valueExpression, keyPointer, ev)
      }
      return out
    }
    default:
      ev.unknown.add(pointer)
      return placeholderFor(node)
  }
}

/** `name(args…)` when the expression is a call, with its argument expressions. */
export function callOf(expression: SyntaxNode): {name: string; args: SyntaxNode[]} | undefined {
  const node = unwrap(expression)
  if (node.type !== 'function_call') return undefined
  const name = childrenOf(node).find((c) => c.type === 'identifier')?.text ?? ''
  const args = childrenOf(node).find((c) => c.type === 'function_arguments')
  return {name, args: args ? childrenOf(args).filter((c) => c.type === 'expression') : []}
}

/** Every `file("…")` and `templatefile("…", …)` in a subtree whose path is a string lint can resolve. */
export function fileReferences(root: SyntaxNode, ev: Pick<HclEvaluation, 'lines' | 'source'>): Array<{call: string; path: string}> {
  const found: Array<{call: string; path: string}> = []
  for (const call of root.descendantsOfType('function_call')) {
    if (!call) continue
    const parsed = callOf(call)
    if (!parsed || (parsed.name !== 'file' && parsed.name !== 'templatefile') || parsed.args.length === 0) continue
    const path = stringOf(parsed.args[0], ev)?.text
    const relative = path === undefined ? undefined : relativeToModule(path)
    if (relative && !relative.includes('${')) found.push({call: parsed.name, path: relative})
  }
  return found
}
