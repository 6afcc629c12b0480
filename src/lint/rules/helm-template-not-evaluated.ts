import {actionEngine, counted, ENGINE_LABEL, firstFew} from '../../model/template-engines.js'
import {defineRule} from '../define-rule.js'

// What lint did with each kind of action (see inputs/helm-template.ts), said once for the file.
const EFFECT_SUMMARY: Array<[RegExp, string]> = [
  [/^value not evaluated; treated as unknown/, 'values are treated as unknown'],
  [/^value not evaluated inside a string/, 'actions inside strings are kept as text'],
  [/^condition not evaluated/, 'of each condition only the first branch is checked'],
  [/^\w+ block not evaluated/, 'loop and block bodies are checked once'],
  [/^statement not evaluated/, 'loop and condition bodies are checked once as written'],
  [/^output not evaluated/, 'output that may add TOML is not checked'],
]

function summarize(effects: string[]): string {
  const clauses = [...new Set(effects.map((effect) => EFFECT_SUMMARY.find(([pattern]) => pattern.test(effect))?.[1] ?? effect))]
  return clauses.length < 2 ? clauses.join('') : `${clauses.slice(0, -1).join(', ')} and ${clauses.at(-1)}`
}

const byPosition = (a: {position: {line: number; column: number}}, b: {position: {line: number; column: number}}) =>
  a.position.line - b.position.line || a.position.column - b.position.column

// Once per file: a template has many actions, and one finding per action buried the file's other findings.
export default defineRule({
  id: 'helm-template-not-evaluated',
  target: 'config-toml',
  messages: {
    helm: 'Helm template: {{count}} not evaluated ({{actions}}): {{effects}}.',
    otherEngine:
      '{{engine}} template, not Helm: {{count}} not evaluated ({{actions}}): {{effects}}. Lint the rendered file to check those values.',
  },
  // Reported where the first action is written, not at a key: actions may span keys or sit inside a value.
  check: ({target}) => {
    // Terraform directives (`%{ if }`) belong with the file's `${…}` placeholders (toml-unrendered-placeholder).
    const notes = target.templateNotes.filter((note) => !note.action.startsWith('%{')).sort(byPosition)
    if (notes.length === 0) return []
    const actions = notes.map((note) => note.action.replace(/\s+/g, ' '))
    const engine = actionEngine(actions, Boolean(target.values))
    const data = {
      engine: ENGINE_LABEL[engine],
      count: counted(new Set(actions).size, engine === 'jinja' ? 'expression' : 'action'),
      actions: firstFew(actions),
      effects: summarize(notes.map((note) => note.effect)),
    }
    return [{pointer: '', at: notes[0].span, messageId: engine === 'helm' ? ('helm' as const) : ('otherEngine' as const), data}]
  },
})
