import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-template-runner-count',
  target: 'config-toml',
  messages: {
    notOne:
      'runners.config has {{count}} [[runners]] entries; registration needs exactly one ("configuration ' +
      'template must contain exactly one [[runners]] entry") and the runner pod never starts.',
  },
  check: ({target}) => {
    if (!target.values || target.fromChartDefault) return []
    const count = Array.isArray(target.data.runners) ? target.data.runners.length : 0
    if (count === 1) return []
    return [{pointer: count > 1 ? '/runners/1' : '', messageId: 'notOne', data: {count}}]
  },
})
