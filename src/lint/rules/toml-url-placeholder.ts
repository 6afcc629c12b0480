import {placeholderUrlKind} from '../../model/urls.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-url-placeholder',
  target: 'config-toml',
  messages: {
    placeholder: '{{runner}} has url = "{{url}}", a placeholder: fill in your GitLab address before deploying.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, settings}) =>
      placeholderUrlKind(settings.url)
        ? [{pointer: `${pointer}/url`, messageId: 'placeholder' as const, data: {url: String(settings.url)}}]
        : [],
    ),
})
