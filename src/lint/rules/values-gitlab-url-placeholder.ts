import {placeholderUrlKind} from '../../model/urls.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-gitlab-url-placeholder',
  target: 'values',
  messages: {
    placeholder: 'gitlabUrl is "{{url}}", a placeholder: fill in your GitLab address before deploying.',
  },
  check: ({target}) => {
    const url = target.user.gitlabUrl
    return placeholderUrlKind(url) ? [{pointer: '/gitlabUrl', messageId: 'placeholder' as const, data: {url: String(url)}}] : []
  },
})
