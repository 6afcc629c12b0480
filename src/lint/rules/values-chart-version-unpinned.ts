import {isPlaceholderValue} from '../../model/placeholders.js'
import {defineRule} from '../define-rule.js'

const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/

export default defineRule({
  id: 'values-chart-version-unpinned',
  target: 'values',
  messages: {
    missing:
      'spec.chart.spec.version is not set, so Flux installs the newest gitlab-runner chart ("*") ' +
      'and upgrades the runner with every chart release.',
    range:
      'Chart version "{{written}}" is a range: Flux upgrades the gitlab-runner chart, and the runner ' +
      'with it, whenever a matching chart is published.',
  },
  check: ({target}) => {
    const constraint = target.chartConstraint
    if (!constraint) return []
    const {written, pointer, span} = constraint
    if (written === undefined) return [{pointer: '', messageId: 'missing' as const, at: span, documentPointer: pointer}]
    if (EXACT_VERSION.test(written.trim()) || isPlaceholderValue(written)) return []
    return [{pointer: '', messageId: 'range' as const, data: {written}, at: span, documentPointer: pointer}]
  },
})
