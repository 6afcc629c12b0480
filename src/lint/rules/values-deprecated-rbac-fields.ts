import {compareVersions, isPlainObject, mapAt} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

const DEPRECATED_SINCE = '0.66.0'

const REPLACEMENT: Record<string, string> = {
  serviceAccountName: 'serviceAccount.name',
  serviceAccountAnnotations: 'serviceAccount.annotations',
  imagePullSecrets: 'serviceAccount.imagePullSecrets',
  generatedServiceAccountName: 'serviceAccount.name',
}

/** An empty value sets nothing, so there is nothing to move. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  if (isPlainObject(value)) return Object.keys(value).length > 0
  return !Array.isArray(value) || value.length > 0
}

export default defineRule({
  id: 'values-deprecated-rbac-fields',
  target: 'values',
  messages: {
    deprecated: 'rbac.{{key}} is deprecated since chart 0.66; use {{replacement}}.',
  },
  check: ({target}) => {
    if (compareVersions(target.chartVersion, DEPRECATED_SINCE) < 0) return []
    const rbac = mapAt(target.user, 'rbac')
    return Object.entries(REPLACEMENT)
      .filter(([key]) => isSet(rbac[key]))
      .map(([key, replacement]) => ({pointer: `/rbac/${key}`, messageId: 'deprecated' as const, data: {replacement}}))
  },
})
