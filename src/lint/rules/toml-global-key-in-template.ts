import {defineRule} from '../define-rule.js'

// The global config.toml settings the chart writes itself, and the chart value that sets each.
const CHART_VALUE: Record<string, string> = {
  concurrent: 'concurrent',
  check_interval: 'checkInterval',
  log_level: 'logLevel',
  log_format: 'logFormat',
  listen_address: 'metrics.enabled and metrics.port',
  shutdown_timeout: 'shutdown_timeout',
  sentry_dsn: 'sentryDsn',
  connection_max_age: 'connectionMaxAge',
  session_server: 'sessionServer',
}

export default defineRule({
  id: 'toml-global-key-in-template',
  target: 'config-toml',
  messages: {
    ignored:
      '{{key}} in runners.config is ignored: the chart writes the global section itself. Set the chart value {{chartValue}} instead.',
  },
  check: ({target}) => {
    if (!target.values || target.fromChartDefault) return []
    return Object.keys(target.data)
      .filter((key) => key in CHART_VALUE)
      .map((key) => ({pointer: `/${key}`, messageId: 'ignored' as const, data: {chartValue: CHART_VALUE[key]}}))
  },
})
