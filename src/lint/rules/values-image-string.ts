import {compareVersions, describeChartVersion} from '../../model/chart.js'
import {isPlaceholderValue} from '../../model/placeholders.js'
import {defineRule} from '../define-rule.js'

// From 0.53 the templates read image.registry, image.image and image.tag directly.
const OBJECT_IMAGE_SINCE = '0.53.0'

export default defineRule({
  id: 'values-image-string',
  target: 'values',
  messages: {
    string:
      'image is a string, but chart {{chartVersion}} reads image.registry, image.image and image.tag: ' +
      'rendering fails or the default image is used.',
  },
  // A placeholder (`${RUNNER_IMAGE}`) is not judged until it is filled in; values-unrendered-placeholder names it.
  check: ({target}) =>
    typeof target.user.image === 'string' &&
    !isPlaceholderValue(target.user.image) &&
    compareVersions(target.chartVersion, OBJECT_IMAGE_SINCE) >= 0
      ? [{pointer: '/image', messageId: 'string', data: {chartVersion: describeChartVersion(target.chartVersion, target.user)}}]
      : [],
})
