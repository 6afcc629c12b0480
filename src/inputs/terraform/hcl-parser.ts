import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'

import type {Node as SyntaxNode, Parser, Tree} from 'web-tree-sitter'

import type {LineIndex} from '../position.js'
import type {FileError} from '../types.js'

export type {SyntaxNode}

let parser: Parser | undefined

/**
 * The HCL grammar runs as WebAssembly (tree-sitter): compiling it costs ~10 ms, so it is loaded only when a
 * Terraform file is read. `web-tree-sitter` stays outside the lint bundle, where it finds its own .wasm file.
 */
export async function loadHclParser(): Promise<void> {
  if (parser) return
  // require, not import(): the lint bundle runs from a V8 code cache, where a dynamic import() has no loader.
  const require = createRequire(import.meta.url)
  const {Parser: ParserClass, Language} = require('web-tree-sitter') as typeof import('web-tree-sitter')
  await ParserClass.init()
  const terraform = await Language.load(grammarPath(require))
  const instance = new ParserClass()
  instance.setLanguage(terraform)
  parser = instance
}

const GRAMMAR = 'tree-sitter-terraform.wasm'

/**
 * The build copies the grammar into dist/grammars (an installed runner-doctor has no dev dependencies; the grammar
 * package is one because its install script builds a native binding lint does not use). From the sources, in
 * tests, the dev dependency itself is used.
 */
function grammarPath(require: NodeJS.Require): string {
  // dist/lint-bundle/fast-entry.cjs and dist/inputs/terraform/hcl-parser.js
  for (const up of ['../grammars/', '../../grammars/']) {
    const shipped = fileURLToPath(new URL(up + GRAMMAR, import.meta.url))
    if (existsSync(shipped)) return shipped
  }
  return require.resolve(`@tree-sitter-grammars/tree-sitter-hcl/${GRAMMAR}`)
}

export function hclParserLoaded(): boolean {
  return parser !== undefined
}

/** Parses Terraform's HCL; loadHclParser() must have run. The caller deletes the tree when done (it lives in WASM memory). */
export function parseHcl(text: string): Tree {
  if (!parser) throw new Error('loadHclParser() must run before a Terraform file is parsed.')
  const tree = parser.parse(text)
  if (!tree) throw new Error('The HCL parser returned no tree.')
  return tree
}

/** Names for the tokens a broken file most often lacks; other names are shown as the grammar spells them. */
const TOKEN_NAMES: Record<string, string> = {
  block_end: '"}"',
  object_end: '"}"',
  tuple_end: '"]"',
  heredoc_identifier: 'the heredoc end marker',
  quoted_template_end: 'a closing quote',
  template_interpolation_end: '"}" of an interpolation',
}

function tokenName(node: SyntaxNode): string {
  if (TOKEN_NAMES[node.type]) return TOKEN_NAMES[node.type]
  return node.isNamed ? node.type.replaceAll('_', ' ') : `"${node.type}"`
}

/**
 * The first syntax error of the tree, or undefined. The message names grammar tokens only, never source text,
 * which may hold a secret.
 */
export function firstSyntaxError(tree: Tree, lines: LineIndex): FileError | undefined {
  if (!tree.rootNode.hasError) return undefined
  let first: SyntaxNode | undefined
  const stack: SyntaxNode[] = [tree.rootNode]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.isError || node.isMissing) {
      if (!first || node.startIndex < first.startIndex) first = node
      continue
    }
    if (node.hasError) for (const child of node.children) if (child) stack.push(child)
  }
  if (!first) return {message: 'Invalid HCL.', line: 1, column: 1}
  // An error that runs from the top to the end of the file is the parser giving up on something never closed.
  const end = lines.text.trimEnd().length
  if (first.isError && first.startIndex === tree.rootNode.startIndex && first.endIndex >= end) {
    return {message: 'Invalid HCL: unexpected end of file (a block, list or string is not closed).', ...lines.position(end)}
  }
  const at = lines.position(first.startIndex)
  if (first.isMissing) return {message: `Invalid HCL: expected ${tokenName(first)}.`, ...at}
  // The parser's recovery may fold several tokens into the error node: the first one that spans text is the culprit.
  let unexpected: SyntaxNode | null = first
  while (unexpected && unexpected.childCount > 0)
    unexpected = unexpected.children.find((c) => c !== null && c.endIndex > c.startIndex) ?? null
  return {message: unexpected && !unexpected.isNamed ? `Invalid HCL: unexpected ${tokenName(unexpected)}.` : 'Invalid HCL syntax.', ...at}
}
