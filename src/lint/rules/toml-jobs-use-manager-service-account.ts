import {isPlainObject} from '../../model/chart.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'managerAccount' | 'deployAccount'

// Names of accounts made to deploy or administer: a job that runs as one can do what it can.
const DEPLOY_ACCOUNT = /(^|[-_.])(deploy|deployer|deployment|deployments|admin|cluster-admin|tiller|argocd|argo-cd)([-_.]|$)/i

/** The ServiceAccount the chart runs the manager as, when the values name it (else the chart derives it from the release). */
function managerServiceAccount(values: Record<string, unknown>): string | undefined {
  const serviceAccount = isPlainObject(values.serviceAccount) ? values.serviceAccount : {}
  const rbac = isPlainObject(values.rbac) ? values.rbac : {}
  for (const name of [serviceAccount.name, rbac.serviceAccountName]) if (isLiteral(name) && name.trim() !== '') return name.trim()
  return undefined
}

export default defineRule({
  id: 'toml-jobs-use-manager-service-account',
  target: 'config-toml',
  messages: {
    managerAccount:
      "Job pods run as {{account}}, the runner manager's own ServiceAccount: every job gets its " +
      'token and can create pods and read the secrets, the runner token included, that the manager can.',
    deployAccount:
      'Job pods run as {{account}}, which is named like a deploy or admin account: every job on ' +
      'this runner, not only deploy jobs, gets its token.',
  },
  check: ({runners, target}) => {
    const manager = target.values ? managerServiceAccount(target.values.user) : undefined
    return runners.flatMap(({pointer, kubernetes}): Array<Report<MessageId>> => {
      const account = kubernetes?.service_account
      if (!isLiteral(account) || account.trim() === '') return []
      const at = `${pointer}/kubernetes/service_account`
      if (manager && account.trim() === manager) return [{pointer: at, messageId: 'managerAccount', data: {account}}]
      if (DEPLOY_ACCOUNT.test(account)) return [{pointer: at, messageId: 'deployAccount', severity: 'warning', data: {account}}]
      return []
    })
  },
})
