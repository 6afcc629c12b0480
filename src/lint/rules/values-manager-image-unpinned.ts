import {isPlainObject} from '../../model/chart.js'
import {isTemplatePlaceholder} from '../../model/placeholders.js'
import {isPlaceholder} from '../../model/secrets.js'
import {defineRule} from '../define-rule.js'

const MOVING_TAG = /^(latest|bleeding|alpine|ubuntu)$|-(latest|bleeding)$/

export default defineRule({
  id: 'values-manager-image-unpinned',
  target: 'values',
  messages: {
    moving:
      'image.tag "{{tag}}" moves with every release: the manager can change version on a pod restart, ' +
      'out of step with the chart and the helper image.',
  },
  check: ({target}) => {
    const tag = isPlainObject(target.user.image) ? target.user.image.tag : undefined
    if (typeof tag !== 'string' || isTemplatePlaceholder(tag) || isPlaceholder(tag) || !MOVING_TAG.test(tag.trim())) return []
    return [{pointer: '/image/tag', messageId: 'moving', data: {tag}}]
  },
})
