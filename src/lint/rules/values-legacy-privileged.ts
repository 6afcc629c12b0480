import {compareVersions, describeChartVersion} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

// Charts up to 0.52 turned runners.privileged into the runner's registration settings; 0.53.0 stopped reading it.
const IGNORED_SINCE = '0.53.0'

export default defineRule({
  id: 'values-legacy-privileged',
  target: 'values',
  messages: {
    privileged: 'runners.privileged: true makes every job container privileged on chart {{chartVersion}}: any job can take over its node.',
    ignored:
      'runners.privileged: true does nothing on chart {{chartVersion}} (charts from 0.53.0 ignore ' +
      'it): set privileged in [runners.kubernetes] of runners.config if jobs need it, or remove it.',
  },
  // Unsafe only where a chart still reads it; on newer charts it is a misleading leftover, so a warning.
  check: ({given, target}) => {
    const chartVersion = describeChartVersion(target.chartVersion, target.user)
    return given
      .filter(({value}) => value === true)
      .map(({pointer}) =>
        compareVersions(target.chartVersion, IGNORED_SINCE) < 0
          ? {pointer, messageId: 'privileged' as const, data: {chartVersion}}
          : {pointer, messageId: 'ignored' as const, severity: 'warning' as const, data: {chartVersion}},
      )
  },
})
