import {isTemplatePlaceholder} from '../../model/placeholders.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-concurrent-below-runners',
  target: 'config-toml',
  messages: {
    refusesToStart: 'concurrent = {{concurrent}}: the runner refuses to start ("no jobs will be processed").',
    belowRunners:
      'concurrent = {{concurrent}} is below the {{runnerCount}} [[runners]] entries: some runners never get a worker to poll with.',
  },
  check: ({target, runners}) => {
    // A chart's runners.config takes `concurrent` from the chart values; a config.toml without it means 1.
    const concurrent = target.values ? target.values.data.concurrent : (target.data.concurrent ?? 1)
    if (typeof concurrent !== 'number' || isTemplatePlaceholder(concurrent)) return []
    if (concurrent >= 1 && concurrent >= runners.length) return []
    const at = {pointer: '/concurrent', inValues: Boolean(target.values)}
    if (concurrent < 1) return [{...at, messageId: 'refusesToStart', data: {concurrent}, severity: 'error'}]
    return [{...at, messageId: 'belowRunners', data: {concurrent, runnerCount: runners.length}}]
  },
})
