import {placeholderKind} from '../../model/placeholders.js'
import {defineRule} from '../define-rule.js'

const TOKEN_KEYS = ['runnerToken', 'runnerRegistrationToken'] as const

export default defineRule({
  id: 'values-token-placeholder',
  target: 'values',
  messages: {
    placeholder: '{{key}} holds a placeholder, not a token: fill it in before deploying, preferably from a Secret named in runners.secret.',
  },
  // `${…}` and Helm templates are named by values-unrendered-placeholder and the template notes.
  check: ({target}) =>
    TOKEN_KEYS.filter((key) => {
      const kind = placeholderKind(target.user[key])
      return kind !== undefined && kind !== 'template' && kind !== 'substitution' && kind !== 'directive'
    }).map((key) => ({pointer: `/${key}`, messageId: 'placeholder' as const, data: {key}})),
})
