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

const ACTION = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g
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

/** Values that stand in for an unevaluated template expression look like `{ .Values.x }` after preparation. */
export function isTemplatePlaceholder(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || /^\{[\s\S]*\}$/.test(value.trim()))
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
  const source = quoteBarePlaceholders(raw)
  if (!source.includes('{{')) return {text: source, notes: [], templated: false}
  const notes: TemplateNote[] = []
  const lines = source.split('\n')
  // Each open block remembers whether lines are currently dropped (an else branch).
  const blocks: Array<{dropping: boolean}> = []
  const out: string[] = []
  lines.forEach((line, i) => {
    const dropping = blocks.some((b) => b.dropping)
    let result = ''
    let last = 0
    let onlyActions = true
    ACTION.lastIndex = 0
    for (let m = ACTION.exec(line); m; m = ACTION.exec(line)) {
      const before = line.slice(last, m.index)
      if (before.trim() !== '') onlyActions = false
      result += before
      const inner = m[1]
      const word = keyword(inner)
      const position = {line: i + 1, column: m.index + 1}
      if (word.startsWith('/*')) {
        result += ' '.repeat(m[0].length)
      } else if (OPENERS.has(word)) {
        blocks.push({dropping: false})
        notes.push({position, action: m[0], effect: word === 'if' ? 'condition not evaluated; its first branch is checked' : `${word} block not evaluated; its body is checked once`})
        result += ' '.repeat(m[0].length)
      } else if (word === 'else') {
        if (blocks.length > 0) blocks[blocks.length - 1].dropping = true
        result += ' '.repeat(m[0].length)
      } else if (word === 'end') {
        blocks.pop()
        result += ' '.repeat(m[0].length)
      } else {
        const quotesBefore = (result.match(/(?<!\\)"/g) ?? []).length + (result.match(/'/g) ?? []).length
        const inString = quotesBefore % 2 === 1
        const body = m[0].slice(1, -1).replaceAll('"', "'").replaceAll('\\', '/')
        result += inString ? `{${body}}` : `"${body}"`
        onlyActions = false
        notes.push({position, action: m[0], effect: inString ? 'value not evaluated inside a string' : 'value not evaluated; treated as unknown'})
      }
      last = m.index + m[0].length
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
