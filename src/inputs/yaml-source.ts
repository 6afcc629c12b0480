import {Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, parseAllDocuments, Scalar, type YAMLMap} from 'yaml'

import {LineIndex, type PositionMap, type Span} from './position.js'

export interface YamlDoc {
  index: number
  doc: Document.Parsed
  /** Plain data, or undefined when the document could not be converted. */
  data: unknown
  error?: {message: string; offset: number; duplicateKey?: boolean}
}

/** Limits that keep a hostile file (alias bomb, deep nesting) from exhausting memory or time. */
export interface YamlLimits {
  maxAliasCount: number
  maxDepth: number
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {maxAliasCount: 100, maxDepth: 200}

/** First line of a parser message: the rest can quote the source, which may hold a secret. */
export function firstLine(message: string): string {
  return (
    message
      .split('\n')[0]
      .replace(/ at line \d+, column \d+:?$/, '')
      // Messages that go on after a colon quote the offending source (`…in YAML stream: "token = …"`, `Not a YAML
      // token: …`, `Could not resolve tag: …`), and that line may hold a secret.
      .replace(/: .*$/, '')
      .trim()
  )
}

export function parseYamlStream(text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlDoc[] {
  // The parser makes an Error per problem, and a broken file can hold one per byte; only the first message is
  // ever shown, so the stack traces those errors capture are pure cost (seconds for a few hundred KiB of quotes).
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  let docs
  try {
    // The parser's own duplicate-key check compares each key with every earlier one (a map of 300,000 keys ran for
    // many minutes); checkStructure does the same check with a set. logLevel 'error': the parser's warnings go to
    // stderr through process.emitWarning and quote source text (a collection key holding a token, for one).
    docs = parseAllDocuments(text, {prettyErrors: false, strict: false, uniqueKeys: false, logLevel: 'error'})
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  const list = Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed]
  return list.map((doc, index) => {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]
      // The parser recurses per level, so very deep nesting overflows its stack before the depth check below can run.
      const message = /call stack/i.test(err.message) ? `YAML nesting is deeper than ${limits.maxDepth} levels.` : firstLine(err.message)
      return {index, doc, data: undefined, error: {message, offset: err.pos[0]}}
    }
    const structureError = checkStructure(doc.contents, limits.maxDepth)
    if (structureError && !structureError.duplicateKey) return {index, doc, data: undefined, error: structureError}
    try {
      // A duplicated key is an error for most readers, but some (GitLab CI) take the last one: the data comes along.
      return {index, doc, data: doc.toJS({maxAliasCount: limits.maxAliasCount}), ...(structureError ? {error: structureError} : {})}
    } catch (error) {
      const message = (error as Error).message.includes('alias')
        ? `YAML aliases expand too far (more than ${limits.maxAliasCount} alias nodes); refusing a possible alias bomb.`
        : firstLine((error as Error).message)
      return {index, doc, data: undefined, error: {message, offset: doc.range?.[0] ?? 0}}
    }
  })
}

/** Nesting deeper than maxDepth, else the first duplicated key of any map (the parser runs with uniqueKeys off). */
function checkStructure(root: unknown, maxDepth: number): {message: string; offset: number; duplicateKey?: boolean} | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]]
  let duplicate: number | undefined
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (depth > maxDepth) {
      const offset = (node as Node | undefined)?.range?.[0] ?? 0
      return {message: `YAML nesting is deeper than ${maxDepth} levels.`, offset}
    }
    if (isMap(node)) {
      const keys = new Set<unknown>()
      for (const pair of node.items) {
        // Helm cannot turn a collection key into JSON, and lint would print the key (which may hold a token) as a name.
        if (pair.key !== null && !isScalar(pair.key))
          return {message: 'Map keys must be plain scalars, not collections or aliases.', offset: (pair.key as Node).range?.[0] ?? 0}
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) duplicate = Math.min(duplicate ?? Infinity, pair.key.range?.[0] ?? 0)
          keys.add(pair.key.value)
        }
        stack.push([pair.value, depth + 1])
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push([isPair(item) ? item.value : item, depth + 1])
    }
  }
  return duplicate === undefined ? undefined : {message: 'Map keys must be unique', offset: duplicate, duplicateKey: true}
}

export {decodePointer, encodePointer} from '../util/json-pointer.js'

export interface YamlNodeHit {
  /** Segments actually found (a prefix of the ones asked for when the path does not exist in the file). */
  found: number
  keySpan?: Span
  valueNode?: Node
  span: Span
}

/** Resolves a JSON Pointer to the YAML node range, falling back to the nearest ancestor that exists. */
// Pairs of each large mapping by key, built on first lookup: a file with thousands of findings in one mapping
// would otherwise scan it once per finding.
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>()
const INDEXED_MAP_SIZE = 32

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length < INDEXED_MAP_SIZE) return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
  let index = pairIndexes.get(map)
  if (!index) {
    index = new Map()
    for (const pair of map.items) {
      // The first of duplicate keys wins, as a linear search would find it.
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair)
    }
    pairIndexes.set(map, index)
  }
  return index.get(key)
}

export function locateInYaml(doc: Document.Parsed, segments: string[], lines: LineIndex): YamlNodeHit {
  let node: unknown = doc.contents
  let keyRange: [number, number] | undefined
  let found = 0
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = pairOf(node, segment)
      if (!pair) break
      const key = pair.key as Scalar
      keyRange = key.range ? [key.range[0], key.range[1]] : keyRange
      node = pair.value
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (item === undefined || !/^\d+$/.test(segment)) break
      node = item
      const range = (item as Node).range
      keyRange = range ? [range[0], range[0] + 1] : keyRange
    } else break
    found++
  }
  const valueNode = node as Node | undefined
  const range = keyRange ?? (valueNode?.range ? [valueNode.range[0], valueNode.range[1]] : [0, 0])
  const span: Span = {start: lines.position(range[0]), end: lines.position(range[1])}
  return {found, keySpan: keyRange ? span : undefined, valueNode, span}
}

/**
 * Position map for text held in a YAML string scalar. A literal block scalar (`|`) keeps every line, so a
 * position inside it maps exactly; other scalar styles map to the scalar's first character.
 */
export function scalarPositionMap(node: Node, lines: LineIndex): PositionMap {
  const start = lines.position(node.range?.[0] ?? 0)
  if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL) return () => start
  const header = lines.lineText(start.line).slice(start.column - 1)
  const explicit = /^[|>][+-]?([1-9])|^[|>]([1-9])/.exec(header)
  let indent: number | undefined
  if (explicit) {
    const parentIndent = /^\s*/.exec(lines.lineText(start.line))![0].length
    indent = parentIndent + Number(explicit[1] ?? explicit[2])
  } else {
    for (let line = start.line + 1; line <= lines.lineCount; line++) {
      const text = lines.lineText(line)
      if (text.trim() === '') continue
      indent = /^ */.exec(text)![0].length
      break
    }
  }
  const contentIndent = indent ?? 0
  return (inner) => ({line: start.line + inner.line, column: contentIndent + inner.column})
}
