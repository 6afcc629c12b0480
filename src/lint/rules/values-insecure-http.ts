import {isPlainHttpAcrossNetwork} from '../../model/urls.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-insecure-http',
  target: 'values',
  messages: {
    gitlabUrl:
      'gitlabUrl is plain http ({{url}}): the runner token, every job token, job logs and artifacts cross the network in clear text.',
  },
  check: ({target}) => {
    const url = target.user.gitlabUrl
    return isPlainHttpAcrossNetwork(url) ? [{pointer: '/gitlabUrl', messageId: 'gitlabUrl' as const, data: {url}}] : []
  },
})
