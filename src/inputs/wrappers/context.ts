import type {Document, Node} from 'yaml'

import {isPlainObject} from '../../model/chart.js'
import type {AnalyzeOptions} from '../analyze-options.js'
import {identityMap, LineIndex, mapSpan, type PositionMap, type Span} from '../position.js'
import {exactChartVersion} from '../recognize.js'
import type {LintTarget} from '../targets.js'
import {EmbeddedError} from '../toml-target.js'
import type {InputKind} from '../types.js'
import {valuesTargets} from '../values-target.js'
import {decodePointer, DEFAULT_YAML_LIMITS, locateInYaml, parseYamlStream, scalarPositionMap} from '../yaml-source.js'

/** One YAML document being read, and where an object nested in it (a Template's objects) sits. */
export interface YamlContext {
  doc: Document.Parsed
  docIndex: number
  lines: LineIndex
  options: AnalyzeOptions
  /** Pointer of the object inside its document, for objects nested in a Template or List. */
  prefix?: string
}

/** What one YAML document (or an object nested in one) turned out to be. */
export interface DocumentResult {
  kind: InputKind
  targets: LintTarget[]
  skipped?: string
}

/** Reads an object nested in the document (a Template's objects) as a document of its own. */
export type AnalyzeNested = (ctx: YamlContext, data: unknown) => DocumentResult

/**
 * A form runner configuration is wrapped in (a ConfigMap, a Flux HelmRelease, ...). The first wrapper of the
 * table whose `match` accepts a document extracts it; `extract` may still skip it with a reason.
 */
export interface Wrapper {
  name: string
  match(data: Record<string, unknown>): boolean
  extract(ctx: YamlContext, data: Record<string, unknown>, analyzeNested: AnalyzeNested): DocumentResult
}

export const kindOf = (data: Record<string, unknown>): string | undefined => (typeof data.kind === 'string' ? data.kind : undefined)
/** A kind for messages: a Kubernetes kind is one identifier; anything else (a mangled multi-line value) is not echoed. */
export const kindLabel = (data: Record<string, unknown>): string => {
  const kind = kindOf(data) ?? ''
  return /^[A-Za-z][A-Za-z0-9]{0,62}$/.test(kind) ? kind : 'object of an unknown kind'
}
export const apiVersionOf = (data: Record<string, unknown>): string => (typeof data.apiVersion === 'string' ? data.apiVersion : '')
export const specOf = (data: Record<string, unknown>): Record<string, unknown> | undefined =>
  isPlainObject(data.spec) ? data.spec : undefined

export const skip = (skipped: string): DocumentResult => ({kind: 'skipped', targets: [], skipped})

export function nodeAt(ctx: YamlContext, pointer: string): Node | undefined {
  const segments = decodePointer((ctx.prefix ?? '') + pointer)
  const hit = locateInYaml(ctx.doc, segments, ctx.lines)
  return hit.found === segments.length ? hit.valueNode : undefined
}

export function locatorAt(ctx: YamlContext, base: string) {
  return (pointer: string): Span => locateInYaml(ctx.doc, decodePointer((ctx.prefix ?? '') + base + pointer), ctx.lines).span
}

/** A chart version pinned by the wrapper, unless the flag names one. */
export function pinnedChartVersion(ctx: YamlContext, version: unknown): string | undefined {
  return ctx.options.chartVersionFromFlag ? undefined : exactChartVersion(version)
}

/** Chart values written as a YAML mapping at `base` of the document. */
export function yamlValuesTargets(ctx: YamlContext, user: Record<string, unknown>, base: string, wrapperVersion?: string): LintTarget[] {
  const locate = locatorAt(ctx, base)
  return valuesTargets(user, {
    pointerBase: (ctx.prefix ?? '') + base,
    docIndex: ctx.docIndex,
    options: ctx.options,
    locate,
    wrapperVersion,
    stringMap: (pointer) => {
      const node = nodeAt(ctx, base + pointer)
      return node ? scalarPositionMap(node, ctx.lines) : () => locate(pointer).start
    },
  })
}

/** The position map of a YAML string at a pointer: exact for a literal block scalar, its first character otherwise. */
export function stringMapAt(ctx: YamlContext, pointer: string): PositionMap {
  const node = nodeAt(ctx, pointer)
  return node ? scalarPositionMap(node, ctx.lines) : identityMap
}

/** Chart values parsed from YAML text, with positions already mapped into the file. */
export interface ValuesText {
  data: Record<string, unknown>
  locate(pointer: string): Span
  /** Maps the TOML of a string (`runners.config`) through its block scalar and then the text's own map. */
  stringMap(pointer: string): PositionMap
}

/**
 * Chart values that are themselves YAML text (Argo CD `helm.values`, a k3s `valuesContent`, a Terraform heredoc):
 * parsed as their own document, with positions mapped through `map` into the file. Undefined when the text is
 * not a mapping; a parse error is thrown at its place in the file, named by `label`.
 */
export function parseValuesText(text: string, map: PositionMap, options: AnalyzeOptions, label: string): ValuesText | undefined {
  const inner = parseYamlStream(text, options.yamlLimits ?? DEFAULT_YAML_LIMITS)[0]
  if (!inner) return undefined
  const innerLines = new LineIndex(text)
  if (inner.error) {
    const at = map(innerLines.position(inner.error.offset))
    throw new EmbeddedError(`${label}: ${inner.error.message}`, at.line, at.column)
  }
  if (!isPlainObject(inner.data)) return undefined
  return {
    data: inner.data,
    locate: (pointer) => mapSpan(locateInYaml(inner.doc, decodePointer(pointer), innerLines).span, map),
    stringMap: (pointer) => {
      // TOML in a block scalar inside YAML that is itself a string of the file: compose both maps.
      const segments = decodePointer(pointer)
      const hit = locateInYaml(inner.doc, segments, innerLines)
      const toToml = hit.found === segments.length && hit.valueNode ? scalarPositionMap(hit.valueNode, innerLines) : () => hit.span.start
      return (p) => map(toToml(p))
    },
  }
}

/** Values held in a YAML string of the document at `pointer`. */
export function valuesFromYamlString(ctx: YamlContext, pointer: string, text: string, wrapperVersion?: string): LintTarget[] {
  const parsed = parseValuesText(text, stringMapAt(ctx, pointer), ctx.options, pointer.slice(1).replaceAll('/', '.'))
  if (!parsed) return []
  return valuesTargets(parsed.data, {
    pointerBase: (ctx.prefix ?? '') + pointer,
    docIndex: ctx.docIndex,
    options: ctx.options,
    wrapperVersion,
    locate: parsed.locate,
    stringMap: parsed.stringMap,
  })
}
