import {isPlainObject, mergeValues} from '../../model/chart.js'
import type {AnalyzeOptions} from '../analyze-options.js'
import {type LineIndex, type PositionMap, type Span} from '../position.js'
import {exactChartVersion, mentionsRunnerChart} from '../recognize.js'
import type {LintTarget} from '../targets.js'
import {firstSyntaxError, parseHcl, type SyntaxNode} from '../terraform/hcl-parser.js'
import {
  callOf,
  childrenOf,
  evaluate,
  fileReferences,
  newEvaluation,
  placeholderFor,
  relativeToModule,
  spanOf,
  stringOf,
  unwrap,
} from '../terraform/hcl-values.js'
import {applySet, parseSetName, setValue, typedSetScalar} from '../terraform/helm-set.js'
import {EmbeddedError} from '../toml-target.js'
import type {AnalyzedFile, FileReference} from '../types.js'
import {completedElsewhere, valuesTargets} from '../values-target.js'
import {decodePointer, encodePointer} from '../yaml-source.js'
import {parseValuesText} from './context.js'

export const NO_RUNNER_RELEASE = 'no gitlab-runner helm_release'

/** One layer of a release's values: an entry of `values`, or one `set` / `set_sensitive`. */
interface ValuesLayer {
  data: Record<string, unknown>
  /** The span of a pointer this layer writes. */
  locate(pointer: string): Span
  /** Maps the text of the string this layer writes at a pointer (`runners.config`) into the file. */
  stringMap(pointer: string): PositionMap
  /** Pointers whose value only Terraform knows. */
  unknown: Set<string>
}

function valueAt(data: unknown, segments: string[]): unknown {
  let node = data
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isPlainObject(node)) node = node[segment]
    else return undefined
  }
  return node
}

/** A block's type and labels: `resource "helm_release" "gitlab_runner" {…}` → resource, [helm_release, gitlab_runner]. */
function blockHeader(block: SyntaxNode): {type: string; labels: string[]; body?: SyntaxNode} {
  const parts = childrenOf(block)
  const labels = parts
    .filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== parts[0]))
    .map((c) => (c.type === 'string_lit' ? c.text.slice(1, -1) : c.text))
  return {type: parts[0]?.text ?? '', labels, body: parts.find((c) => c.type === 'body')}
}

/** The attributes (last one wins, as Terraform would refuse duplicates anyway) and nested blocks of a body. */
function bodyParts(body: SyntaxNode | undefined): {attributes: Map<string, SyntaxNode>; blocks: SyntaxNode[]} {
  const attributes = new Map<string, SyntaxNode>()
  const blocks: SyntaxNode[] = []
  for (const child of body ? childrenOf(body) : []) {
    if (child.type === 'attribute') {
      const name = child.firstChild?.text
      const expression = childrenOf(child).find((c) => c.type === 'expression')
      if (name && expression) attributes.set(name, expression)
    } else if (child.type === 'block') blocks.push(child)
  }
  return {attributes, blocks}
}

interface ReleaseContext {
  source: string
  lines: LineIndex
  options: AnalyzeOptions
  /** `helm_release.gitlab_runner`, in messages. */
  label: string
}

/** An entry of `values = [...]` written in the file: YAML text (heredoc or string) or yamlencode/jsonencode of an object. */
function valuesEntryLayer(entry: SyntaxNode, index: number, ctx: ReleaseContext): ValuesLayer | undefined {
  const text = stringOf(entry, ctx)
  if (text) {
    const parsed = parseValuesText(text.text, text.map, ctx.options, `${ctx.label} values[${index}]`)
    return parsed && {...parsed, unknown: new Set()}
  }
  const call = callOf(entry)
  if (
    !call ||
    (call.name !== 'yamlencode' && call.name !== 'jsonencode') ||
    call.args.length !== 1 ||
    unwrap(call.args[0]).type !== 'object'
  )
    return undefined
  const ev = newEvaluation(ctx.source, ctx.lines)
  const data = evaluate(call.args[0], '', ev) as Record<string, unknown>
  const fallback = spanOf(entry, ctx.lines)
  return {
    data,
    unknown: ev.unknown,
    locate(pointer) {
      for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
        const span = ev.spans.get(p)
        if (span) return span
      }
      return fallback
    },
    stringMap: (pointer) => ev.textMaps.get(pointer) ?? (() => ev.spans.get(pointer)?.start ?? fallback.start),
  }
}

/** A `set` / `set_list` / `set_sensitive` entry (a block, or an object of the list form `set = [{name, value}]`). */
function setLayer(
  fields: Map<string, SyntaxNode>,
  whole: SyntaxNode,
  ctx: ReleaseContext,
): {layer: ValuesLayer; sensitiveText?: string} | undefined {
  const nameExpression = fields.get('name')
  const valueExpression = fields.get('value')
  const name = nameExpression && stringOf(nameExpression, ctx)?.text
  const path = name === undefined ? undefined : parseSetName(name)
  if (!path || !valueExpression) return undefined
  const type = fields.get('type') && stringOf(fields.get('type')!, ctx)?.text
  const at = spanOf(nameExpression!, ctx.lines)
  const ev = newEvaluation(ctx.source, ctx.lines)
  const raw = evaluate(valueExpression, '', ev)
  const known = !ev.unknown.has('')
  // The provider hands Helm a string: a number or bool written in HCL is its text, typed again by Helm.
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw)
  // set_list passes its list as `{a,b}`: each item is typed as a --set value is.
  const value = !known
    ? placeholderFor(unwrap(valueExpression))
    : Array.isArray(raw)
      ? raw.map((item) => (typeof item === 'string' ? typedSetScalar(item) : item))
      : setValue(text, type)
  const data: Record<string, unknown> = {}
  applySet(data, path, value)
  const pointer = encodePointer(path)
  const textMap = ev.textMaps.get('')
  return {
    layer: {
      data,
      unknown: known ? new Set() : new Set([pointer]),
      locate: () => at,
      stringMap: () => textMap ?? (() => spanOf(whole, ctx.lines).start),
    },
    sensitiveText: known ? text : undefined,
  }
}

/** `set {…}` blocks and `set = [{…}]` lists of one kind, in the order written. */
function setEntries(
  kind: 'set' | 'set_list' | 'set_sensitive',
  parts: ReturnType<typeof bodyParts>,
): Array<{fields: Map<string, SyntaxNode>; node: SyntaxNode}> {
  const entries: Array<{fields: Map<string, SyntaxNode>; node: SyntaxNode}> = []
  for (const block of parts.blocks) {
    const header = blockHeader(block)
    if (header.type === kind) entries.push({fields: bodyParts(header.body).attributes, node: block})
  }
  const list = parts.attributes.get(kind)
  const tuple = list && unwrap(list)
  if (tuple?.type === 'tuple') {
    for (const item of childrenOf(tuple).filter((c) => c.type === 'expression')) {
      const object = unwrap(item)
      if (object.type !== 'object') continue
      const fields = new Map<string, SyntaxNode>()
      for (const element of childrenOf(object).filter((c) => c.type === 'object_elem')) {
        const [key, value] = childrenOf(element).filter((c) => c.type === 'expression')
        if (key && value) fields.set(unwrap(key).text.replace(/^"|"$/g, ''), value)
      }
      entries.push({fields, node: item})
    }
  }
  return entries
}

function releaseTargets(
  block: SyntaxNode,
  index: number,
  name: string,
  ctx: ReleaseContext,
): {targets: LintTarget[]; references: FileReference[]} | undefined {
  const header = blockHeader(block)
  const parts = bodyParts(header.body)
  const attr = (key: string) => {
    const expression = parts.attributes.get(key)
    return expression ? stringOf(expression, ctx)?.text : undefined
  }
  const chart = attr('chart')
  if (!mentionsRunnerChart(chart) && !(chart === undefined && mentionsRunnerChart(attr('name'), attr('repository')))) return undefined
  const references = header.body ? fileReferences(header.body, ctx).map((r) => ({path: r.path, usedBy: ctx.label})) : []
  const layers: ValuesLayer[] = []
  const writtenElsewhere: string[] = []
  const valuesExpression = parts.attributes.get('values')
  const entries =
    valuesExpression && unwrap(valuesExpression).type === 'tuple'
      ? childrenOf(unwrap(valuesExpression)).filter((c) => c.type === 'expression')
      : []
  if (valuesExpression && unwrap(valuesExpression).type !== 'tuple') writtenElsewhere.push(describeUnknown(valuesExpression, ctx))
  entries.forEach((entry, i) => {
    const layer = valuesEntryLayer(entry, i, ctx)
    if (layer) layers.push(layer)
    else writtenElsewhere.push(describeUnknown(entry, ctx))
  })
  const sensitive: string[] = []
  // The provider's order: set, then set_list, then set_sensitive.
  for (const kind of ['set', 'set_list', 'set_sensitive'] as const) {
    for (const entry of setEntries(kind, parts)) {
      const made = setLayer(entry.fields, entry.node, ctx)
      if (!made) continue
      layers.push(made.layer)
      if (kind === 'set_sensitive' && made.sensitiveText !== undefined && made.sensitiveText !== '') sensitive.push(made.sensitiveText)
    }
  }
  let user: Record<string, unknown> = {}
  for (const layer of layers) user = mergeValues(user, layer.data) as Record<string, unknown>
  // A runners.config only Terraform knows (a file() or a variable) is not TOML lint can read: it is left out, and
  // the values are judged on what is written, as for values other files complete.
  const configLayer = lastLayerWith(layers, '/runners/config')
  if (configLayer?.unknown.has('/runners/config') && isPlainObject(user.runners)) {
    const runners = {...user.runners}
    delete runners.config
    user = {...user, runners}
    writtenElsewhere.push('runners.config')
  }
  const whole = spanOf(block, ctx.lines)
  const pointerBase = encodePointer(['resource', 'helm_release', name, 'values'])
  const targets = valuesTargets(user, {
    pointerBase,
    docIndex: index,
    options: ctx.options,
    wrapperVersion: ctx.options.chartVersionFromFlag ? undefined : exactChartVersion(attr('version')),
    locate(pointer) {
      for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
        const layer = lastLayerWith(layers, p)
        if (layer) return layer.locate(p)
      }
      return {start: whole.start, end: {line: whole.start.line, column: whole.start.column + 'resource'.length}}
    },
    stringMap: (pointer) => lastLayerWith(layers, pointer)?.stringMap(pointer) ?? (() => whole.start),
  })
  for (const target of targets) if (target.type === 'values' && sensitive.length > 0) target.sensitive = sensitive
  return {targets: completedElsewhere(targets, writtenElsewhere.length > 0 ? writtenElsewhere.join(', ') : undefined), references}
}

function lastLayerWith(layers: ValuesLayer[], pointer: string): ValuesLayer | undefined {
  const segments = decodePointer(pointer)
  for (let i = layers.length - 1; i >= 0; i--) if (valueAt(layers[i].data, segments) !== undefined) return layers[i]
  return undefined
}

/** How to name values lint cannot read, without copying source text that may hold a secret. */
function describeUnknown(expression: SyntaxNode, ctx: ReleaseContext): string {
  // "${file("values.yaml")}", the pre-0.12 spelling, is the interpolated expression itself.
  const template = unwrap(expression)
  const parts =
    template.type === 'quoted_template'
      ? childrenOf(template).filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end')
      : []
  const inner =
    parts.length === 1 && parts[0].type === 'template_interpolation' ? childrenOf(parts[0]).find((c) => c.type === 'expression') : undefined
  if (inner) return describeUnknown(inner, ctx)
  const call = callOf(expression)
  const path =
    call && (call.name === 'file' || call.name === 'templatefile') && call.args[0] ? stringOf(call.args[0], ctx)?.text : undefined
  if (call && path !== undefined) return `${call.name}("${relativeToModule(path)}")`
  // yamlencode(var.values): a call on references names them; its text holds no literal that could be a secret.
  const references = call?.args.map((arg) => placeholderFor(unwrap(arg)))
  if (call && references && references.length > 0 && !references.includes('${terraform_expression}'))
    return `${call.name}(${references.map((r) => r.slice(2, -1)).join(', ')})`
  const placeholder = placeholderFor(unwrap(expression))
  return placeholder === '${terraform_expression}'
    ? `a Terraform expression (line ${ctx.lines.position(expression.startIndex).line})`
    : placeholder.slice(2, -1)
}

/** Terraform with `helm_release` resources for the gitlab-runner chart; other releases and blocks are left alone. */
export function analyzeTerraform(text: string, lines: LineIndex, options: AnalyzeOptions): AnalyzedFile {
  // Most .tf files in a walked directory have nothing to do with the runner: they are not even parsed.
  if (!/helm_release/.test(text) || !/gitlab-runner/.test(text))
    return {kind: 'skipped', targets: [], skipped: NO_RUNNER_RELEASE, quietInWalk: true, lines}
  const tree = parseHcl(text)
  try {
    const error = firstSyntaxError(tree, lines)
    if (error) return {kind: 'skipped', targets: [], error, lines}
    const targets: LintTarget[] = []
    const references: FileReference[] = []
    let releases = 0
    for (const block of tree.rootNode.descendantsOfType('block')) {
      if (!block || block.parent?.parent?.type !== 'config_file') continue
      const header = blockHeader(block)
      if (header.type !== 'resource' || header.labels[0] !== 'helm_release' || header.labels.length < 2) continue
      const name = header.labels[1]
      const found = releaseTargets(block, releases, name, {source: text, lines, options, label: `helm_release.${name}`})
      if (!found) continue
      releases++
      targets.push(...found.targets)
      references.push(...found.references)
    }
    if (releases === 0) return {kind: 'skipped', targets: [], skipped: NO_RUNNER_RELEASE, quietInWalk: true, lines}
    return {kind: 'terraform-helm-release', targets, lines, ...(references.length > 0 ? {references} : {})}
  } catch (error) {
    if (error instanceof EmbeddedError)
      return {kind: 'terraform-helm-release', targets: [], error: {message: error.message, line: error.line, column: error.column}, lines}
    throw error
  } finally {
    tree.delete()
  }
}
