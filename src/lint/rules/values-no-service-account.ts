import {isPlainObject, mapAt, valuesLookComplete} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

const isName = (value: unknown) => typeof value === 'string' && value !== ''

export default defineRule({
  id: 'values-no-service-account',
  target: 'values',
  messages: {
    defaultAccount:
      'Neither rbac.create nor a serviceAccount is set, so the runner manager uses the namespace ' +
      'default service account, which usually cannot create job pods ("pods is forbidden").',
  },
  check: ({target}) => {
    if (!valuesLookComplete(target)) return []
    const rbac = mapAt(target.data, 'rbac')
    const account = mapAt(target.data, 'serviceAccount')
    if (rbac.create === true || account.create === true || isName(account.name) || isName(rbac.serviceAccountName)) return []
    const pointer = isPlainObject(target.user.rbac) && 'create' in target.user.rbac ? '/rbac/create' : ''
    return [{pointer, messageId: 'defaultAccount'}]
  },
})
