import {blankStatementLines} from '../model/template-engines.js'
import type {Position} from './position.js'

/** A Helm template action that lint could not evaluate, at its position in the TOML text. */
export interface TemplateNote {
  position: Position
  action: string
  effect: string
}

export interface PreparedToml {
  text: string
  notes: TemplateNote[]
  /** True when the text held any `{{ … }}` action. */
  templated: boolean
}

const OPENERS = new Set(['if', 'range', 'with', 'define', 'block'])

const BARE_PLACEHOLDER = /^(\s*[\w".-]+\s*=\s*)(\$\{[^}\s]+\}|%\{[^}]+\})(\s*(?:#.*)?)$/gm

/**
 * `privileged = ${privileged}` (Terraform templatefile, envsubst, OpenShift Template parameters) is not TOML until
 * rendered; quoting the placeholder keeps the document parseable so the rest is checked and the placeholder named.
 */
function quoteBarePlaceholders(source: string): string {
  if (!source.includes('${') && !source.includes('%{')) return source
  return source.replace(BARE_PLACEHOLDER, (_, key: string, value: string, rest: string) => `${key}"${value}"${rest}`)
}

export {isTemplatePlaceholder} from '../model/placeholders.js'

/**
 * The `{{ … }}` actions of one line, as `/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g` would find them, in linear time: that
 * expression rescans the rest of the line from every unclosed `{{` and every blank before `}}`.
 */
function* actionsOf(line: string): Generator<{index: number; text: string; inner: string}> {
  for (let start = line.indexOf('{{'); start !== -1;) {
    const end = line.indexOf('}}', start + 2)
    if (end === -1) return
    let inner = line.slice(start + 2, end)
    if (inner.startsWith('-')) inner = inner.slice(1)
    inner = inner.trimStart()
    if (inner.endsWith('-')) inner = inner.slice(0, -1)
    yield {index: start, text: line.slice(start, end + 2), inner: inner.trimEnd()}
    start = line.indexOf('{{', end + 2)
  }
}

/** Quotes in text that open or close a string, so their parity tells whether the text ends inside one. */
function quotesIn(text: string, previous: string | undefined): number {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "'" || (c === '"' && (i > 0 ? text[i - 1] : previous) !== '\\')) count++
  }
  return count
}

function keyword(action: string): string {
  return /^(?:\/\*[\s\S]*\*\/|[a-z]+)/.exec(action)?.[0] ?? ''
}

/**
 * Makes Helm-templated TOML parseable without evaluating it, keeping every line and column in place:
 * actions inside strings stay as text, an action in value position becomes a string of the same length,
 * control lines are blanked, and only the first branch of an if/else is kept.
 */
export function prepareTemplatedToml(raw: string): PreparedToml {
  // Jinja statements and Terraform directives on lines of their own (`{% for … %}`, `%{ if … }`) are blanked first.
  const {text: unstated, statements} = blankStatementLines(raw)
  const source = quoteBarePlaceholders(unstated)
  const notes: TemplateNote[] = statements.map(({line, column, statement}) => ({
    position: {line, column},
    action: statement,
    effect: 'statement not evaluated; the lines it governs are checked once, as written',
  }))
  if (!source.includes('{{')) return {text: source, notes, templated: notes.length > 0}
  const lines = source.split('\n')
  // Each open block remembers whether lines are currently dropped (an else branch); droppingBlocks counts those that do.
  const blocks: Array<{dropping: boolean}> = []
  let droppingBlocks = 0
  const out: string[] = []
  lines.forEach((line, i) => {
    const dropping = droppingBlocks > 0
    let result = ''
    let quotes = 0
    let last = 0
    let onlyActions = true
    for (const action of actionsOf(line)) {
      const before = line.slice(last, action.index)
      if (before.trim() !== '') onlyActions = false
      quotes += quotesIn(before, result.at(-1))
      result += before
      const inner = action.inner
      const word = keyword(inner)
      const position = {line: i + 1, column: action.index + 1}
      if (word.startsWith('/*')) {
        result += ' '.repeat(action.text.length)
      } else if (OPENERS.has(word)) {
        blocks.push({dropping: false})
        notes.push({
          position,
          action: action.text,
          effect:
            word === 'if'
              ? 'condition not evaluated; its first branch is checked'
              : `${word} block not evaluated; its body is checked once`,
        })
        result += ' '.repeat(action.text.length)
      } else if (word === 'else') {
        const open = blocks.at(-1)
        if (open && !open.dropping) {
          open.dropping = true
          droppingBlocks++
        }
        result += ' '.repeat(action.text.length)
      } else if (word === 'end') {
        if (blocks.pop()?.dropping) droppingBlocks--
        result += ' '.repeat(action.text.length)
      } else {
        const inString = quotes % 2 === 1
        const body = action.text.slice(1, -1).replaceAll('"', "'").replaceAll('\\', '/')
        const replacement = inString ? `{${body}}` : `"${body}"`
        quotes += quotesIn(replacement, result.at(-1))
        result += replacement
        onlyActions = false
        notes.push({
          position,
          action: action.text,
          effect: inString ? 'value not evaluated inside a string' : 'value not evaluated; treated as unknown',
        })
      }
      last = action.index + action.text.length
    }
    const rest = line.slice(last)
    if (rest.trim() !== '') onlyActions = false
    result += rest
    // A line that held only an unevaluated expression (toToml, include) is dropped to keep the TOML valid.
    const wholeLineExpression = last > 0 && /^\s*"\{[^"]*\}"\s*$/.test(result)
    if (wholeLineExpression) {
      notes[notes.length - 1].effect = 'output not evaluated (it may add TOML that is not checked)'
      result = ''
    }
    out.push(dropping || (onlyActions && last > 0) ? '' : result)
  })
  return {text: out.join('\n'), notes, templated: true}
}
