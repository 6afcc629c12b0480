import {isPlainObject, mapAt} from '../../model/chart.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'noRules' | 'noRulesClusterWide' | 'wildcardRule' | 'wildcardRuleClusterWide'

// A rule without verbs or resources is completed by the chart with "*".
const isWildcard = (v: unknown) => v === undefined || (Array.isArray(v) && v.includes('*'))

export default defineRule({
  id: 'values-rbac-wildcard',
  target: 'values',
  messages: {
    noRules: 'rbac.create without rbac.rules grants the runner every verb on every core resource in its namespace, secrets included.',
    noRulesClusterWide:
      'rbac.create without rbac.rules grants the runner every verb on every core resource in every ' +
      'namespace of the cluster, secrets included.',
    wildcardRule: 'rbac.rules[{{index}}] allows {{verbs}} on {{resources}} in its namespace.',
    wildcardRuleClusterWide: 'rbac.rules[{{index}}] allows {{verbs}} on {{resources}} in every namespace of the cluster.',
  },
  check: ({target}) => {
    const rbac = mapAt(target.data, 'rbac')
    if (rbac.create !== true) return []
    const rules = Array.isArray(rbac.rules) ? rbac.rules.filter(isPlainObject) : []
    // Where other files complete the values, rbac.rules may be among what they add.
    if (rules.length === 0 && target.completedBy && mapAt(target.user, 'rbac').rules === undefined) return []
    const clusterWide = rbac.clusterWideAccess === true
    const severity = clusterWide ? ('error' as const) : undefined
    if (rules.length === 0) return [{pointer: '/rbac/create', severity, messageId: clusterWide ? 'noRulesClusterWide' : 'noRules'}]
    return rules.flatMap((rule, index): Array<Report<MessageId>> => {
      if (!isWildcard(rule.resources) && !isWildcard(rule.verbs)) return []
      const data = {
        index,
        verbs: isWildcard(rule.verbs) ? 'every verb' : 'its verbs',
        resources: isWildcard(rule.resources) ? 'every resource' : 'its resources',
      }
      return [{pointer: `/rbac/rules/${index}`, severity, messageId: clusterWide ? 'wildcardRuleClusterWide' : 'wildcardRule', data}]
    })
  },
})
