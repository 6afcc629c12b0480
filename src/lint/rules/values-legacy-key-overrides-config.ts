import {compareVersions, describeChartVersion, isPlainObject} from '../../model/chart.js'
import {legacyChartKeys, legacyKeyReplacement} from '../../model/chart-keys.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

// Up to chart 0.52 the legacy keys become registration settings; 0.53.0 removed them.
const REMOVED_IN = '0.53.0'

export default defineRule({
  id: 'values-legacy-key-overrides-config',
  target: 'values',
  messages: {
    overrides:
      'On chart {{chartVersion}}, {{path}} is passed to registration and wins over the same setting ' +
      'in runners.config; keep one of them ({{replacement}}).',
  },
  check: ({target}) => {
    if (compareVersions(target.chartVersion, REMOVED_IN) >= 0) return []
    if (!isPlainObject(target.user.runners) || typeof target.user.runners.config !== 'string') return []
    return legacyChartKeys(target.user)
      .filter((k) => k.path.startsWith('runners.') && k.removedIn === REMOVED_IN)
      .map(({path}) => ({
        pointer: encodePointer(path.split('.')),
        messageId: 'overrides' as const,
        data: {chartVersion: describeChartVersion(target.chartVersion, target.user), path, replacement: legacyKeyReplacement(path)},
      }))
  },
})
