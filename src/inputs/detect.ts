import {isPlainObject} from '../model/chart.js'
import type {AnalyzeOptions} from './analyze-options.js'
import {encryptedSkipReason, encryptionOf} from './encrypted.js'
import {identityMap, LineIndex} from './position.js'
import {isGitlabCi} from './recognize.js'
import type {LintTarget} from './targets.js'
import {EmbeddedError, tomlTarget} from './toml-target.js'
import type {AnalyzedFile, InputKind} from './types.js'
import {hclParserLoaded, loadHclParser} from './terraform/hcl-parser.js'
import {analyzeDocument} from './wrappers/index.js'
import {analyzeTerraform, NO_RUNNER_RELEASE} from './wrappers/terraform-helm-release.js'
import {DEFAULT_YAML_LIMITS, parseYamlStream} from './yaml-source.js'

export type {AnalyzeOptions} from './analyze-options.js'
export type {AnalyzedFile} from './types.js'

/** Reads a file's text as whatever runner configuration it holds: config.toml, or YAML in any wrapper. */
export function analyzeText(text: string, options: AnalyzeOptions): AnalyzedFile {
  const lines = new LineIndex(text)
  if (text.trim() === '') return {kind: 'skipped', targets: [], skipped: 'empty file', lines}
  const encryption = encryptionOf(text.slice(0, 64))
  if (encryption) return {kind: 'skipped', targets: [], skipped: encryptedSkipReason(encryption), lines}
  if (text.includes('\u0000'))
    return {kind: 'skipped', targets: [], error: {message: 'Binary file: not YAML or TOML.', line: 1, column: 1}, lines}
  if (looksLikeTerraform(text)) {
    // Only a file that names a helm_release can hold one: others are not parsed (nor is the parser loaded for them).
    if (!mayHoldHelmRelease(text)) return {kind: 'skipped', targets: [], skipped: NO_RUNNER_RELEASE, lines}
    if (!hclParserLoaded()) throw new Error('Terraform is read with analyzeInput(), which loads the HCL parser first.')
    return analyzeTerraform(text, lines, options)
  }
  const first = firstMeaningfulLine(text.replace(/^\uFEFF/, ''))
  if (/^\s*(\[\[?[A-Za-z_."-]+\]\]?|[A-Za-z_][\w-]*\s*=)/m.test(first) && !/^\s*[\w-]+\s*:/m.test(first)) {
    return analyzeToml(text, lines, options)
  }
  return analyzeYaml(text, lines, options)
}

/** As analyzeText, and loads the HCL parser first when the text is Terraform that may hold a gitlab-runner release. */
export async function analyzeInput(text: string, options: AnalyzeOptions): Promise<AnalyzedFile> {
  if (looksLikeTerraform(text) && mayHoldHelmRelease(text)) await loadHclParser()
  return analyzeText(text, options)
}

const mayHoldHelmRelease = (text: string): boolean => text.includes('helm_release')

// `resource "helm_release" "x" {`, `terraform {`: a block header cannot start YAML or TOML runner configuration.
const HCL_BLOCK_HEADER = /^\s*[A-Za-z_][\w-]*(?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*\s*\{/

/** Terraform, told by content: its first line that is not a comment opens a block. */
export function looksLikeTerraform(text: string): boolean {
  let inComment = false
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length;) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    start = end === -1 ? text.length : end + 1
    let t = line.trim()
    if (inComment) {
      if (!t.includes('*/')) continue
      inComment = false
      t = t.slice(t.indexOf('*/') + 2).trim()
    }
    if (t.startsWith('/*')) {
      const close = t.indexOf('*/', 2)
      if (close === -1) {
        inComment = true
        continue
      }
      t = t.slice(close + 2).trim()
    }
    if (t === '' || t.startsWith('#') || t.startsWith('//')) continue
    return HCL_BLOCK_HEADER.test(t)
  }
  return false
}

function firstMeaningfulLine(text: string): string {
  // Line by line from the top: splitting the whole file for its first line cost more than some rules.
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start)
    const line = text.slice(start, end === -1 ? text.length : end)
    const t = line.trim()
    if (t !== '' && !t.startsWith('#') && t !== '---') return line
    if (end === -1) break
    start = end + 1
  }
  return ''
}

function analyzeToml(text: string, lines: LineIndex, options: AnalyzeOptions): AnalyzedFile {
  let target
  try {
    target = tomlTarget(text, {pointerBase: '', docIndex: 0, map: identityMap, runnerVersion: options.runnerVersion})
  } catch (error) {
    if (!(error instanceof EmbeddedError)) throw error
    return {kind: 'config-toml', targets: [], error: {message: error.message, line: error.line, column: error.column}, lines}
  }
  const data = target.data
  if (!Array.isArray(data.runners) && !('concurrent' in data) && !isPlainObject(data.runners)) {
    return {kind: 'skipped', targets: [], skipped: 'TOML without [[runners]] or runner settings', lines}
  }
  return {kind: 'config-toml', targets: [target], lines}
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
      if (error instanceof EmbeddedError)
        return {kind: kinds[0] ?? 'helm-values', targets, error: {message: error.message, line: error.line, column: error.column}, lines}
      throw error
    }
  }
  if (targets.length === 0) return {kind: 'skipped', targets, skipped: skips[0] ?? 'empty YAML document', lines}
  return {kind: kinds[0], targets, lines}
}
