import {valuesLookComplete} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-no-gitlab-url',
  target: 'values',
  messages: {
    unset: 'gitlabUrl is not set: the runner cannot register or reach GitLab, and the chart only prints a warning.',
  },
  check: ({target}) => {
    // Umbrella charts (global, install) pass gitlabUrl from elsewhere.
    if ('global' in target.user || 'install' in target.user || !valuesLookComplete(target)) return []
    const url = target.user.gitlabUrl
    if (typeof url === 'string' && url.trim() !== '') return []
    return [{pointer: url === undefined ? '' : '/gitlabUrl', messageId: 'unset'}]
  },
})
