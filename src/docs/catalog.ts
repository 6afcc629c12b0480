import {readFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

import {docsUrl, RULES_DIR, type Rule} from '../lint/rule.js'
import {RULE_MODULES} from '../lint/rules/index.js'
import {editDistance} from '../model/suggest.js'
import {type FixtureCase, fixtureFlags, fixturesFor, lintFixture, readFixture} from './fixtures.js'

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** What `rules --format json` prints for each rule. */
export type RuleEntry = Pick<
  Rule,
  'id' | 'title' | 'target' | 'severity' | 'category' | 'recommended' | 'rationale' | 'remediation' | 'references'
> & {docsUrl: string}

export interface RuleExample {
  /** Path relative to the package root, e.g. `test/fixtures/rules/<id>/invalid/<case>.toml`. */
  file: string
  language: 'yaml' | 'toml'
  text: string
  /** Lint flags the example needs (capacity rules), or an empty string. */
  flags: string
  /** What lint reports on the example with only this rule enabled (none for the good example). */
  findings: Array<{line: number; column: number; message: string}>
}

/** What `explain <id>` shows: the rule, and its first invalid and first valid fixture verbatim. */
export type RuleExplanation = RuleEntry &
  Pick<Rule, 'executor' | 'deprecated'> & {
    /** What the rule can print, with `{{placeholders}}` for what each finding fills in. */
    messages: string[]
    examples: {bad?: RuleExample; good?: RuleExample}
  }

/** A code rule's message templates from its module; a schema rule's one message from its metadata. */
export function messagesOf(rule: Rule): string[] {
  const module = RULE_MODULES[rule.id]
  if (module) return Object.values(module.messages)
  return rule.message ? [rule.message] : []
}

export interface RuleFilter {
  category?: string
  target?: string
}

const ruleSchema = JSON.parse(readFileSync(join(RULES_DIR, 'rule.schema.json'), 'utf8')) as {
  properties: {category: {enum: string[]}; target: {enum: string[]}}
}

/** Categories and targets as the rule meta-schema allows them, so filters offer exactly those. */
export const RULE_CATEGORIES: readonly string[] = ruleSchema.properties.category.enum
export const RULE_TARGETS: readonly string[] = ruleSchema.properties.target.enum

export function toEntry(rule: Rule): RuleEntry {
  return {
    id: rule.id,
    title: rule.title,
    target: rule.target,
    severity: rule.severity,
    category: rule.category,
    recommended: rule.recommended,
    rationale: rule.rationale,
    remediation: rule.remediation,
    references: rule.references,
    docsUrl: docsUrl(rule.id),
  }
}

const byId = (a: Rule, b: Rule) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export function filterRules(rules: Rule[], filter: RuleFilter): Rule[] {
  return rules
    .filter((r) => (!filter.category || r.category === filter.category) && (!filter.target || r.target === filter.target))
    .sort(byId)
}

export function packagePath(file: string): string {
  return relative(PACKAGE_ROOT, file).split(sep).join('/')
}

async function toExample(rule: Rule, fixture: FixtureCase | undefined, fixturesRoot?: string): Promise<RuleExample | undefined> {
  if (!fixture) return undefined
  const result = await lintFixture(rule, fixture, fixturesRoot)
  const findings = result.files.flatMap((f) =>
    f.findings.filter((x) => !x.suppressed).map((x) => ({line: x.line, column: x.column, message: x.message})),
  )
  return {file: packagePath(fixture.file), language: fixture.language, text: readFixture(fixture), flags: fixtureFlags(fixture), findings}
}

/** The rule with its first invalid and first valid fixture, linted so the bad example shows what lint says. */
export async function explainRule(rule: Rule, fixturesRoot?: string): Promise<RuleExplanation> {
  const {valid, invalid} = fixturesFor(rule.id, fixturesRoot)
  return {
    ...toEntry(rule),
    ...(rule.executor ? {executor: rule.executor} : {}),
    ...(rule.deprecated ? {deprecated: rule.deprecated} : {}),
    messages: messagesOf(rule),
    examples: {bad: await toExample(rule, invalid[0], fixturesRoot), good: await toExample(rule, valid[0], fixturesRoot)},
  }
}

/**
 * The known id closest to `id` by edit distance (ties: the alphabetically first), when it is close enough to be
 * what was meant: a few edits away, or containing what was typed (an id without its `toml-` prefix).
 */
export function closestRuleId(id: string, ids: string[]): string | undefined {
  let best: {id: string; distance: number} | undefined
  for (const candidate of [...ids].sort()) {
    const distance = editDistance(id, candidate)
    if (!best || distance < best.distance) best = {id: candidate, distance}
  }
  if (!best) return undefined
  return best.distance <= Math.max(3, Math.floor(id.length / 3)) || best.id.includes(id) ? best.id : undefined
}

export function targetLabel(rule: Pick<Rule, 'target' | 'executor'>): string {
  return rule.executor ? `${rule.target} (${rule.executor} executor)` : rule.target
}

/** Plain-text table for the terminal: id, severity, category, title. */
export function renderRulesTable(rules: Rule[]): string {
  const header = ['ID', 'SEVERITY', 'CATEGORY', 'TITLE']
  const rows = rules.map((r) => [r.id, r.severity, r.category, r.title])
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('  ')
  const noun = rules.length === 1 ? 'rule' : 'rules'
  return (
    [
      line(header),
      ...rows.map(line),
      '',
      `${rules.length} ${noun}. Run runner-doctor explain <id> for the rationale, the fix and examples.`,
    ].join('\n') + '\n'
  )
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')
}

const withFlags = (example: RuleExample) => (example.flags ? ` (linted with ${example.flags})` : '')

export function renderExplanation(e: RuleExplanation): string {
  const facts = [
    `Severity: ${e.severity}`,
    `Target: ${targetLabel(e)}`,
    `Category: ${e.category}`,
    `Recommended: ${e.recommended ? 'yes' : 'no'}`,
  ]
  const parts = [`${e.id}: ${e.title}`, facts.join(' | ')]
  if (e.deprecated) parts.push(`Deprecated${e.deprecated.replacedBy ? `: replaced by ${e.deprecated.replacedBy}` : ''}.`)
  parts.push('', 'Why', indent(e.rationale), '', 'Fix', indent(e.remediation))
  if (e.messages.length > 0) parts.push('', 'Messages', ...e.messages.map((m) => `  - ${m}`))
  if (e.references.length > 0) parts.push('', 'References', ...e.references.map((r) => `  - ${r}`))
  parts.push('', `Docs: ${e.docsUrl}`)
  const {bad, good} = e.examples
  if (bad) {
    parts.push('', `Bad example: ${bad.file}${withFlags(bad)}`, '', bad.text.trimEnd(), '')
    parts.push(...bad.findings.map((f) => `  -> line ${f.line}:${f.column}: ${f.message}`))
  }
  if (good) parts.push('', `Good example (nothing reported): ${good.file}${withFlags(good)}`, '', good.text.trimEnd())
  // The Docker image ships without test/, where the examples live.
  if (!bad && !good) parts.push('', `No examples installed: test/fixtures/rules/${e.id}/ is not part of this copy of runner-doctor.`)
  return parts.join('\n') + '\n'
}
