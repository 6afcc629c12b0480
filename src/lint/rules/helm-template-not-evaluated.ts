import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'helm-template-not-evaluated',
  target: 'config-toml',
  messages: {
    notEvaluated: 'Helm template {{action}}: {{effect}}.',
  },
  // Reported where the action is written, not at a key: the action may span keys or sit inside a value.
  check: ({target}) =>
    target.templateNotes.map((note) => ({
      pointer: '',
      at: note.span,
      messageId: 'notEvaluated' as const,
      data: {action: note.action.replace(/\s+/g, ' '), effect: note.effect},
    })),
})
