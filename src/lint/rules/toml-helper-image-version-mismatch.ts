import {helperImagePin, runnerSeries} from '../../model/executor/helper-image.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'movingTag' | 'otherRelease'

export default defineRule({
  id: 'toml-helper-image-version-mismatch',
  target: 'config-toml',
  messages: {
    movingTag:
      'helper_image "{{image}}" follows a moving tag; the helper must match the runner\'s version ' +
      "exactly. Tag it with ${CI_RUNNER_REVISION} or the runner's vX.Y.Z.",
    otherRelease:
      'helper_image is pinned to {{pinned}}.x but the runner is {{runnerVersion}}: the helper and ' +
      'the runner are released together and must match.',
  },
  check: ({runners, target: {runnerVersion}}) =>
    runners.flatMap(({pointer, kubernetes}): Array<Report<MessageId>> => {
      const image = kubernetes?.helper_image
      if (!isLiteral(image) || image.trim() === '') return []
      const at = `${pointer}/kubernetes/helper_image`
      const pin = helperImagePin(image)
      if (pin.kind === 'moving') return [{pointer: at, messageId: 'movingTag', data: {image}}]
      if (pin.kind !== 'release' || !pin.minor || !runnerVersion) return []
      const series = runnerSeries(runnerVersion)
      return series && series !== pin.minor ? [{pointer: at, messageId: 'otherRelease', data: {pinned: pin.minor, runnerVersion}}] : []
    }),
})
