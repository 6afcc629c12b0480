import {parseInlineDirectives} from '../suppressions.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'suppression-without-reason',
  target: 'file',
  messages: {
    noReason: 'This runner-doctor-disable-next-line comment has no reason (add " -- why"), so it suppresses nothing.',
  },
  check: ({file}) =>
    parseInlineDirectives(file.lines)
      .filter((directive) => directive.reason === '')
      .map((directive) => ({line: directive.directiveLine, column: directive.column, messageId: 'noReason' as const})),
})
