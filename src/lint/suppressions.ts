import {createRequire} from 'node:module'

import type {LineIndex} from '../inputs/position.js'
import type {RunnerDoctorConfig} from './config.js'
import type {Finding} from './types.js'

// What keeps a finding from failing the run: a `# runner-doctor-disable-next-line <ids> -- reason` comment above its
// line, or an exemption in .runner-doctor.yaml. Both need a reason; a directive without one suppresses nothing.

const DIRECTIVE = /#\s*runner-doctor-disable-next-line\b(.*)$/

export interface InlineDirective {
  /** Line the directive suppresses. */
  line: number
  ruleIds: string[]
  reason: string
  directiveLine: number
  column: number
}

// The suppression rule and the lint run both need a file's directives: they are parsed once per file.
const directivesOf = new WeakMap<LineIndex, InlineDirective[]>()

export function parseInlineDirectives(lines: LineIndex): InlineDirective[] {
  let directives = directivesOf.get(lines)
  if (!directives) {
    directives = lines.text.includes('runner-doctor-disable') ? scanDirectives(lines) : []
    directivesOf.set(lines, directives)
  }
  return directives
}

function scanDirectives(lines: LineIndex): InlineDirective[] {
  const out: InlineDirective[] = []
  for (let line = 1; line <= lines.lineCount; line++) {
    const text = lines.lineText(line)
    if (!text.includes('runner-doctor-disable')) continue
    const m = DIRECTIVE.exec(text)
    if (!m) continue
    const [idsPart, ...reasonParts] = m[1].split(/\s--\s?/)
    const ruleIds = idsPart.split(/[\s,]+/).filter(Boolean)
    out.push({line: line + 1, ruleIds, reason: reasonParts.join(' -- ').trim(), directiveLine: line, column: m.index + 1})
  }
  return out
}

type Matcher = (path: string, glob: string, options: {dot: boolean; matchBase: boolean}) => boolean
let minimatch: Matcher | undefined

/**
 * Glob matching is only needed for exemptions that name files, so it is loaded then: required from node_modules,
 * which keeps it out of the lint bundle (its code there was read and deserialized at every start-up).
 */
export function ensureGlobMatcher(config: RunnerDoctorConfig): void {
  if (!minimatch && config.exemptions.some((e) => e.files))
    minimatch = (createRequire(import.meta.url)('minimatch') as typeof import('minimatch')).minimatch
}

function exemptionFor(finding: Finding, relPath: string, config: RunnerDoctorConfig) {
  return config.exemptions.find(
    (e) =>
      (!e.rules || e.rules.includes(finding.ruleId)) &&
      (!e.files || e.files.some((g) => minimatch!(relPath, g, {dot: true, matchBase: !g.includes('/')}))) &&
      (!e.pointers || e.pointers.some((p) => finding.pointer === p || finding.pointer.startsWith(p.endsWith('/') ? p : `${p}/`))),
  )
}

/** Marks the finding suppressed by the directive on its line or by an exemption; returns whether it still counts. */
export function applySuppression(finding: Finding, directives: InlineDirective[], relPath: string, config: RunnerDoctorConfig): boolean {
  const directive = directives.find((d) => d.line === finding.line && (d.ruleIds.length === 0 || d.ruleIds.includes(finding.ruleId)))
  if (directive) {
    finding.suppressed = {by: 'inline', reason: directive.reason}
    return false
  }
  const exemption = exemptionFor(finding, relPath, config)
  if (exemption) {
    finding.suppressed = {by: 'config', reason: exemption.reason}
    return false
  }
  return true
}
