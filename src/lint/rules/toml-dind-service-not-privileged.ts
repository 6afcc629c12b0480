import {containerPrivileged} from '../../model/executor/containers.js'
import {allowedDindService} from '../../model/executor/services.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-dind-service-not-privileged',
  target: 'config-toml',
  messages: {
    notPrivileged:
      '{{image}} is allowed as a service but service containers are not privileged: the Docker daemon ' +
      'cannot start and jobs fail to connect to it.',
  },
  check: ({runners}) =>
    runners.flatMap(({kubernetes, pointer}) => {
      const dind = kubernetes && allowedDindService(kubernetes)
      if (!dind || containerPrivileged(kubernetes, 'service')) return []
      return [{pointer: `${pointer}/kubernetes${dind.pointer}`, messageId: 'notPrivileged' as const, data: {image: dind.image}}]
    }),
})
