import {compareVersions, describeChartVersion} from '../../model/chart.js'
import {legacyChartKeys, legacyKeyReplacement} from '../../model/chart-keys.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule} from '../define-rule.js'

// runners.privileged has its own rule (values-legacy-privileged).
const OWN_RULE = 'runners.privileged'

export default defineRule({
  id: 'values-legacy-key-ignored',
  target: 'values',
  messages: {
    ignored: '{{path}} was removed in chart {{removedIn}}; chart {{chartVersion}} ignores it. Set {{replacement}} instead.',
  },
  check: ({target}) =>
    legacyChartKeys(target.user).flatMap(({path, removedIn}) =>
      path !== OWN_RULE && removedIn && compareVersions(target.chartVersion, removedIn) >= 0
        ? [
            {
              pointer: encodePointer(path.split('.')),
              messageId: 'ignored' as const,
              data: {
                path,
                removedIn,
                chartVersion: describeChartVersion(target.chartVersion, target.user),
                replacement: legacyKeyReplacement(path),
              },
            },
          ]
        : [],
    ),
})
