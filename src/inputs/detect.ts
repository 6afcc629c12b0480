import type {Document, Node} from 'yaml'

import {
  chartDefaults,
  DEFAULT_RUNNERS_CONFIG,
  isPlainObject,
  mergeValues,
  runnerVersionForChart,
  runnerVersionFromImageTag,
} from '../model/chart.js'
import type {FileError, InputKind} from '../lint/types.js'
import {LineIndex, mapSpan, type PositionMap, type Span, identityMap} from './position.js'
import type {LintTarget, TomlTarget, ValuesTarget} from './targets.js'
import {parseTomlText} from './toml-source.js'
import {decodePointer, encodePointer, locateInYaml, parseYamlStream, scalarPositionMap, type YamlLimits, DEFAULT_YAML_LIMITS} from './yaml-source.js'

export interface AnalyzedFile {
  kind: InputKind
  targets: LintTarget[]
  skipped?: string
  error?: FileError
  /** The whole text, for inline suppression comments. */
  lines: LineIndex
}

export interface AnalyzeOptions {
  chartVersion: string
  /** Set when the user named the chart version; a version found in the file is then ignored. */
  chartVersionFromFlag: boolean
  runnerVersion?: string
  yamlLimits?: YamlLimits
}

const RUNNER_KEYS = ['config', 'executor', 'privileged', 'image', 'secret', 'tags', 'locked', 'runUntagged', 'cache', 'builds', 'services', 'helpers', 'namespace', 'serviceAccountName', 'name', 'configPath', 'imagePullPolicy', 'pollTimeout', 'outputLimit', 'protected', 'requestConcurrency', 'jobNamespace', 'cloneUrl', 'nodeSelector', 'nodeTolerations', 'podLabels', 'podAnnotations', 'env', 'pod_security_context']
const CHART_KEYS = ['gitlabUrl', 'runnerToken', 'runnerRegistrationToken', 'concurrent', 'checkInterval', 'rbac', 'unregisterRunners', 'certsSecretName', 'replicas', 'hpa', 'imagePullPolicy', 'logLevel', 'metrics', 'sessionServer', 'serviceAccount', 'terminationGracePeriodSeconds']

/** Whether an object reads as values for the gitlab/gitlab-runner chart. */
export function looksLikeRunnerValues(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false
  if ('apiVersion' in value && 'kind' in value) return false
  if ('gitlabUrl' in value || 'runnerToken' in value || 'runnerRegistrationToken' in value) return true
  const runners = value.runners
  if (!isPlainObject(runners)) return false
  const runnerHits = RUNNER_KEYS.filter((k) => k in runners).length
  const chartHits = CHART_KEYS.filter((k) => k in value).length
  return (runnerHits > 0 && chartHits > 0) || typeof runners.config === 'string'
}

function isSopsEncrypted(value: unknown): boolean {
  return isPlainObject(value) && isPlainObject(value.sops) && ('mac' in value.sops || 'lastmodified' in value.sops)
}

function isGitlabCi(value: unknown): boolean {
  if (!isPlainObject(value)) return false
  if ('stages' in value || 'include' in value || 'workflow' in value) return true
  return Object.values(value).some((job) => isPlainObject(job) && ('script' in job || 'trigger' in job || 'extends' in job))
}

function chartName(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function mentionsRunnerChart(...names: unknown[]): boolean {
  return names.some((n) => /gitlab-runner/.test(chartName(n)))
}

export function analyzeText(text: string, options: AnalyzeOptions): AnalyzedFile {
  const lines = new LineIndex(text)
  if (text.trim() === '') return {kind: 'skipped', targets: [], skipped: 'empty file', lines}
  if (text.includes('\u0000')) return {kind: 'skipped', targets: [], error: {message: 'Binary file: not YAML or TOML.', line: 1, column: 1}, lines}
  const trimmed = text.replace(/^\uFEFF/, '')
  const first = firstMeaningfulLine(trimmed)
  if (/^\s*(\[\[?[A-Za-z_."-]+\]\]?|[A-Za-z_][\w-]*\s*=)/m.test(first) && !/^\s*[\w-]+\s*:/m.test(first)) {
    return analyzeToml(text, lines, options)
  }
  return analyzeYaml(text, lines, options)
}

function firstMeaningfulLine(text: string): string {
  for (const line of text.split('\n')) {
    const t = line.trim()
    if (t !== '' && !t.startsWith('#') && t !== '---') return line
  }
  return ''
}

function analyzeToml(text: string, lines: LineIndex, options: AnalyzeOptions): AnalyzedFile {
  const toml = parseTomlText(text)
  if (toml.error) return {kind: 'config-toml', targets: [], error: {message: toml.error.message, ...toml.error.position}, lines}
  const data = toml.data!
  if (!Array.isArray(data.runners) && !('concurrent' in data) && !isPlainObject(data.runners)) {
    return {kind: 'skipped', targets: [], skipped: 'TOML without [[runners]] or runner settings', lines}
  }
  const target: TomlTarget = {
    type: 'config-toml',
    data,
    pointerBase: '',
    docIndex: 0,
    locate: toml.locate,
    fromChartDefault: false,
    templateNotes: toml.notes.map((n) => ({...n, span: {start: n.position, end: {line: n.position.line, column: n.position.column + n.action.length}}})),
    runnerVersion: options.runnerVersion,
  }
  return {kind: 'config-toml', targets: [target], lines}
}

interface YamlContext {
  doc: Document.Parsed
  docIndex: number
  lines: LineIndex
  options: AnalyzeOptions
  /** Pointer of the object inside its document, for objects nested in a Template or List. */
  prefix?: string
}

function yamlLocator(ctx: YamlContext, base: string, map: PositionMap = identityMap, innerDoc?: Document.Parsed, innerLines?: LineIndex) {
  return (pointer: string): Span => {
    if (innerDoc && innerLines) return mapSpan(locateInYaml(innerDoc, decodePointer(pointer), innerLines).span, map)
    return locateInYaml(ctx.doc, decodePointer((ctx.prefix ?? '') + base + pointer), ctx.lines).span
  }
}

function nodeAt(ctx: YamlContext, pointer: string): Node | undefined {
  const segments = decodePointer((ctx.prefix ?? '') + pointer)
  const hit = locateInYaml(ctx.doc, segments, ctx.lines)
  return hit.found === segments.length ? hit.valueNode : undefined
}

/** A chart version pinned by the wrapper (HelmRelease, Application, helmfile, kustomize), unless the flag names one. */
function pinnedChartVersion(ctx: YamlContext, version: unknown): string | undefined {
  if (ctx.options.chartVersionFromFlag || typeof version !== 'string') return undefined
  const m = /^v?(\d+\.\d+\.\d+)$/.exec(version.trim())
  return m?.[1]
}

/** Values that were themselves a YAML string (Argo CD `helm.values`): their own document and the map out of it. */
interface EmbeddedValues {
  doc: Document.Parsed
  lines: LineIndex
  map: PositionMap
}

function makeValuesTargets(ctx: YamlContext, user: Record<string, unknown>, base: string, locate: (p: string) => Span, embedded?: EmbeddedValues, wrapperVersion?: string): LintTarget[] {
  const chartVersion = wrapperVersion ?? ctx.options.chartVersion
  const data = mergeValues(chartDefaults(chartVersion), user) as Record<string, unknown>
  const image = user.image
  const runnerVersion =
    ctx.options.runnerVersion ??
    (isPlainObject(image) ? runnerVersionFromImageTag(image.tag) : undefined) ??
    runnerVersionForChart(chartVersion)
  const values: ValuesTarget = {type: 'values', data, user, pointerBase: (ctx.prefix ?? '') + base, docIndex: ctx.docIndex, locate, chartVersion, runnerVersion}
  const targets: LintTarget[] = [values]
  const runners = isPlainObject(data.runners) ? data.runners : undefined
  const config = runners?.config
  if (typeof config !== 'string') return targets
  const userRunners = isPlainObject(user.runners) ? user.runners : undefined
  const fromChartDefault = typeof userRunners?.config !== 'string'
  let map: PositionMap
  if (fromChartDefault) {
    const anchor = locate('/runners').start
    map = () => anchor
  } else if (embedded) {
    // TOML in a block scalar inside YAML that is itself a block scalar: compose both maps.
    const hit = locateInYaml(embedded.doc, ['runners', 'config'], embedded.lines)
    const inner = hit.found === 2 && hit.valueNode ? scalarPositionMap(hit.valueNode, embedded.lines) : () => hit.span.start
    map = (p) => embedded.map(inner(p))
  } else {
    const node = nodeAt(ctx, base + '/runners/config')
    map = node ? scalarPositionMap(node, ctx.lines) : () => locate('/runners/config').start
  }
  const toml = parseTomlText(fromChartDefault ? DEFAULT_RUNNERS_CONFIG : config)
  if (toml.error) {
    const at = map(toml.error.position)
    throw new EmbeddedError(`runners.config: ${toml.error.message}`, at.line, at.column)
  }
  targets.push({
    type: 'config-toml',
    data: toml.data!,
    pointerBase: (ctx.prefix ?? '') + base + '/runners/config',
    docIndex: ctx.docIndex,
    locate: (p) => mapSpan(toml.locate(p), map),
    values,
    fromChartDefault,
    templateNotes: fromChartDefault ? [] : toml.notes.map((n) => ({...n, span: {start: map(n.position), end: map({line: n.position.line, column: n.position.column + n.action.length})}})),
    runnerVersion,
  })
  return targets
}

/**
 * Values other files complete: the values target is marked, and a `runners.config` taken from the chart's default
 * is dropped, since the real one may be in the other files.
 */
function completedElsewhere(targets: LintTarget[], by: string | undefined): LintTarget[] {
  if (!by) return targets
  for (const target of targets) if (target.type === 'values') target.completedBy = by
  return targets.filter((t) => !(t.type === 'config-toml' && t.fromChartDefault))
}

const nonEmptyList = (value: unknown) => Array.isArray(value) && value.length > 0

class EmbeddedError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message)
  }
}

function valuesFromYamlString(ctx: YamlContext, pointer: string, text: string, wrapperVersion?: string): LintTarget[] {
  const node = nodeAt(ctx, pointer)
  const map = node ? scalarPositionMap(node, ctx.lines) : identityMap
  const inner = parseYamlStream(text, ctx.options.yamlLimits ?? DEFAULT_YAML_LIMITS)[0]
  if (!inner) return []
  const innerLines = new LineIndex(text)
  if (inner.error) {
    const at = map(innerLines.position(inner.error.offset))
    throw new EmbeddedError(`${pointer.slice(1).replaceAll('/', '.')}: ${inner.error.message}`, at.line, at.column)
  }
  if (!isPlainObject(inner.data)) return []
  const locate = yamlLocator(ctx, '', map, inner.doc, innerLines)
  return makeValuesTargets(ctx, inner.data, pointer, locate, {doc: inner.doc, lines: innerLines, map}, wrapperVersion)
}

function analyzeDocument(ctx: YamlContext, data: unknown): {kind: InputKind; targets: LintTarget[]; skipped?: string} {
  if (!isPlainObject(data)) return {kind: 'skipped', targets: [], skipped: 'not a mapping'}
  if (isSopsEncrypted(data)) return {kind: 'skipped', targets: [], skipped: 'encrypted with SOPS; lint the decrypted file'}
  const kind = typeof data.kind === 'string' ? data.kind : undefined
  const apiVersion = typeof data.apiVersion === 'string' ? data.apiVersion : ''
  const spec = isPlainObject(data.spec) ? data.spec : undefined

  if (kind === 'ConfigMap' && isPlainObject(data.data)) {
    const targets: LintTarget[] = []
    for (const [key, value] of Object.entries(data.data)) {
      if (!key.endsWith('.toml') || typeof value !== 'string') continue
      const pointer = `/data${encodePointer([key])}`
      const node = nodeAt(ctx, pointer)
      const map = node ? scalarPositionMap(node, ctx.lines) : identityMap
      const toml = parseTomlText(value)
      if (toml.error) {
        const at = map(toml.error.position)
        throw new EmbeddedError(`${key}: ${toml.error.message}`, at.line, at.column)
      }
      targets.push({
        type: 'config-toml',
        data: toml.data!,
        pointerBase: (ctx.prefix ?? '') + pointer,
        docIndex: ctx.docIndex,
        locate: (p) => mapSpan(toml.locate(p), map),
        fromChartDefault: false,
        templateNotes: toml.notes.map((n) => ({...n, span: {start: map(n.position), end: map(n.position)}})),
        runnerVersion: ctx.options.runnerVersion,
      })
    }
    return targets.length > 0 ? {kind: 'configmap', targets} : {kind: 'skipped', targets: [], skipped: 'ConfigMap without a .toml key'}
  }

  if (kind === 'HelmRelease' && apiVersion.includes('fluxcd.io') && spec) {
    const chartSpec = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined
    const chart = chartSpec?.chart ?? spec.chart
    const values = spec.values
    if (looksLikeRunnerValues(values) || (mentionsRunnerChart(chart, spec.releaseName) && isPlainObject(values))) {
      const targets = makeValuesTargets(ctx, values as Record<string, unknown>, '/spec/values', yamlLocator(ctx, '/spec/values'), undefined, pinnedChartVersion(ctx, chartSpec?.version))
      return {kind: 'flux-helmrelease', targets: completedElsewhere(targets, nonEmptyList(spec.valuesFrom) ? 'spec.valuesFrom' : undefined)}
    }
    return {kind: 'skipped', targets: [], skipped: mentionsRunnerChart(chart) ? 'HelmRelease without inline values (valuesFrom is not read)' : 'HelmRelease for another chart'}
  }

  if (kind === 'Application' && apiVersion.startsWith('argoproj.io') && spec) {
    const sources: Array<[string, unknown]> = []
    if (spec.source !== undefined) sources.push(['/spec/source', spec.source])
    if (Array.isArray(spec.sources)) spec.sources.forEach((s, i) => sources.push([`/spec/sources/${i}`, s]))
    const targets: LintTarget[] = []
    for (const [pointer, source] of sources) {
      if (!isPlainObject(source) || !isPlainObject(source.helm)) continue
      const isRunner = mentionsRunnerChart(source.chart, source.path, source.repoURL)
      const {values, valuesObject} = source.helm
      const version = source.chart ? pinnedChartVersion(ctx, source.targetRevision) : undefined
      const completedBy = nonEmptyList(source.helm.valueFiles) ? 'helm.valueFiles' : undefined
      if (isPlainObject(valuesObject) && (isRunner || looksLikeRunnerValues(valuesObject))) {
        targets.push(...completedElsewhere(makeValuesTargets(ctx, valuesObject, `${pointer}/helm/valuesObject`, yamlLocator(ctx, `${pointer}/helm/valuesObject`), undefined, version), completedBy))
      }
      if (typeof values === 'string') {
        const found = valuesFromYamlString(ctx, `${pointer}/helm/values`, values, version)
        if (isRunner || (found[0] && looksLikeRunnerValues((found[0] as ValuesTarget).user))) targets.push(...completedElsewhere(found, completedBy))
      } else if (isPlainObject(values) && (isRunner || looksLikeRunnerValues(values))) {
        targets.push(...completedElsewhere(makeValuesTargets(ctx, values, `${pointer}/helm/values`, yamlLocator(ctx, `${pointer}/helm/values`), undefined, version), completedBy))
      }
    }
    return targets.length > 0 ? {kind: 'argocd-application', targets} : {kind: 'skipped', targets: [], skipped: 'Argo CD Application without gitlab-runner Helm values'}
  }

  if (kind === 'HelmChart' && apiVersion.startsWith('helm.cattle.io') && spec) {
    if (typeof spec.valuesContent === 'string' && (mentionsRunnerChart(spec.chart) || /gitlabUrl|runnerToken|runners:/.test(spec.valuesContent))) {
      const targets = valuesFromYamlString(ctx, '/spec/valuesContent', spec.valuesContent, pinnedChartVersion(ctx, spec.version))
      if (targets.length > 0) return {kind: 'helm-values', targets}
    }
    return {kind: 'skipped', targets: [], skipped: 'k3s HelmChart without gitlab-runner valuesContent'}
  }

  // OpenShift Templates and Lists carry whole objects (ConfigMaps, HelmReleases) inside them.
  const nested = kind === 'Template' && Array.isArray(data.objects) ? ['objects', data.objects] : kind === 'List' && Array.isArray(data.items) ? ['items', data.items] : undefined
  if (nested) {
    const [field, objects] = nested as [string, unknown[]]
    const targets: LintTarget[] = []
    let innerKind: InputKind | undefined
    objects.forEach((object, i) => {
      const inner = analyzeDocument({...ctx, prefix: `${ctx.prefix ?? ''}/${field}/${i}`}, object)
      targets.push(...inner.targets)
      if (inner.targets.length > 0) innerKind ??= inner.kind
    })
    return targets.length > 0 ? {kind: innerKind!, targets} : {kind: 'skipped', targets: [], skipped: `Kubernetes ${kind} without runner configuration`}
  }

  if (kind === 'Kustomization' || (Array.isArray(data.helmCharts) && !kind)) {
    const targets: LintTarget[] = []
    if (Array.isArray(data.helmCharts)) {
      data.helmCharts.forEach((chart, i) => {
        if (!isPlainObject(chart) || !isPlainObject(chart.valuesInline)) return
        if (mentionsRunnerChart(chart.name, chart.releaseName) || looksLikeRunnerValues(chart.valuesInline)) {
          const base = `/helmCharts/${i}/valuesInline`
          const completedBy = typeof chart.valuesFile === 'string' || nonEmptyList(chart.additionalValuesFiles) ? 'valuesFile' : undefined
          targets.push(...completedElsewhere(makeValuesTargets(ctx, chart.valuesInline, base, yamlLocator(ctx, base), undefined, pinnedChartVersion(ctx, chart.version)), completedBy))
        }
      })
    }
    return targets.length > 0 ? {kind: 'kustomization', targets} : {kind: 'skipped', targets: [], skipped: 'kustomization without gitlab-runner valuesInline'}
  }

  if (kind) return {kind: 'skipped', targets: [], skipped: `Kubernetes ${kind}, not runner configuration`}

  if (Array.isArray(data.releases)) {
    const targets: LintTarget[] = []
    data.releases.forEach((release, i) => {
      if (!isPlainObject(release) || !Array.isArray(release.values)) return
      // Each entry of a value list (inline maps and files) is merged with the others by helmfile.
      const completedBy = release.values.length > 1 ? `releases[${i}].values` : undefined
      release.values.forEach((entry, j) => {
        if (!isPlainObject(entry)) return
        if (mentionsRunnerChart(release.chart, release.name) || looksLikeRunnerValues(entry)) {
          const base = `/releases/${i}/values/${j}`
          targets.push(...completedElsewhere(makeValuesTargets(ctx, entry, base, yamlLocator(ctx, base), undefined, pinnedChartVersion(ctx, release.version)), completedBy))
        }
      })
    })
    return targets.length > 0 ? {kind: 'helmfile', targets} : {kind: 'skipped', targets: [], skipped: 'helmfile without inline gitlab-runner values'}
  }

  if (looksLikeRunnerValues(data)) return {kind: 'helm-values', targets: makeValuesTargets(ctx, data, '', yamlLocator(ctx, ''))}

  for (const [key, value] of Object.entries(data)) {
    // Under a dependency named after the chart, any runner or chart key is enough (GitLab's own chart values).
    const namedAfterChart = /gitlab-runner/.test(key) && isPlainObject(value) && value.install !== false && (isPlainObject(value.runners) || CHART_KEYS.some((k) => k in value))
    if (namedAfterChart || looksLikeRunnerValues(value)) {
      const base = encodePointer([key])
      return {kind: 'helm-values', targets: makeValuesTargets(ctx, value as Record<string, unknown>, base, yamlLocator(ctx, base))}
    }
  }
  if (isGitlabCi(data)) {
    const base = ctx.prefix ?? ''
    return {kind: 'gitlab-ci', targets: [{type: 'gitlab-ci', data, pointerBase: base, docIndex: ctx.docIndex, locate: yamlLocator(ctx, ''), runners: []}]}
  }
  return {kind: 'skipped', targets: [], skipped: 'not gitlab-runner values, config.toml or a wrapper of them'}
}

function analyzeYaml(text: string, lines: LineIndex, options: AnalyzeOptions): AnalyzedFile {
  const docs = parseYamlStream(text, options.yamlLimits ?? DEFAULT_YAML_LIMITS)
  const targets: LintTarget[] = []
  const kinds: InputKind[] = []
  const skips: string[] = []
  for (const d of docs) {
    // GitLab reads a pipeline with a repeated key (the last one wins), so for a .gitlab-ci.yml it is not an error.
    if (d.error && !(d.error.duplicateKey && isGitlabCi(d.data))) {
      const at = lines.position(d.error.offset)
      return {kind: kinds[0] ?? 'skipped', targets, error: {message: d.error.message, ...at}, lines}
    }
    if (d.data === null || d.data === undefined) continue
    try {
      const result = analyzeDocument({doc: d.doc, docIndex: d.index, lines, options}, d.data)
      targets.push(...result.targets)
      if (result.kind !== 'skipped') kinds.push(result.kind)
      else if (result.skipped) skips.push(result.skipped)
    } catch (error) {
      if (error instanceof EmbeddedError) return {kind: kinds[0] ?? 'helm-values', targets, error: {message: error.message, line: error.line, column: error.column}, lines}
      throw error
    }
  }
  if (targets.length === 0) return {kind: 'skipped', targets, skipped: skips[0] ?? 'empty YAML document', lines}
  return {kind: kinds[0], targets, lines}
}
