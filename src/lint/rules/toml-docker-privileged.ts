import {restrictingPatterns} from '../../model/executor/docker.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-privileged',
  target: 'config-toml',
  messages: {
    everyImage: '{{runner}} runs every job and service container privileged (privileged = true): any job can take over the host.',
    listedImages:
      '{{runner}} runs job containers privileged (privileged = true) for images matching {{patterns}}: ' +
      'a job using one of them can take over the host.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}): Array<Report<'everyImage' | 'listedImages'>> => {
      if (docker?.privileged !== true) return []
      // allowed_privileged_images narrows privileged mode to the images it lists; the others start unprivileged.
      const privilegedImages = restrictingPatterns(docker.allowed_privileged_images)
      if (privilegedImages.length === 0) return [{pointer: `${pointer}/docker/privileged`, messageId: 'everyImage'}]
      return [
        {
          pointer: `${pointer}/docker/privileged`,
          messageId: 'listedImages',
          severity: 'warning',
          data: {patterns: privilegedImages.join(', ')},
        },
      ]
    }),
})
