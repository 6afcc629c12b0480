import {missingDockerLimits} from '../../model/executor/docker.js'
import {defineRule} from '../define-rule.js'

const DESCRIBED = {memory: 'memory limit (memory)', cpus: 'CPU limit (cpus)'}

export default defineRule({
  id: 'toml-docker-no-resource-limits',
  target: 'config-toml',
  messages: {
    noLimits:
      '{{runner}} sets no {{missing}} in [runners.docker]: one job can take the whole host from ' +
      'every other job and from the runner itself.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) => {
      // Without a [runners.docker] table the executor refuses to run jobs at all, a different problem.
      if (!docker) return []
      const missing = missingDockerLimits(docker)
      if (missing.length === 0) return []
      return [
        {pointer: `${pointer}/docker`, messageId: 'noLimits' as const, data: {missing: missing.map((m) => DESCRIBED[m]).join(' and no ')}},
      ]
    }),
})
