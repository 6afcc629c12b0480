import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'values-registration-token',
  target: 'values',
  messages: {
    deprecatedWorkflow: 'runnerRegistrationToken uses the deprecated registration workflow, disabled by default since GitLab 17.0.',
  },
  // Any value counts, a template or a placeholder too: the workflow is what is deprecated, not the token.
  check: ({target}) => {
    const value = target.user.runnerRegistrationToken
    if (value === undefined || value === '' || value === null) return []
    return [{pointer: '/runnerRegistrationToken', messageId: 'deprecatedWorkflow'}]
  },
})
