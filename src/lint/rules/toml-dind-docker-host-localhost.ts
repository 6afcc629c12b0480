import {isLoopbackHost} from '../../model/executor/docker-host.js'
import {runnerDockerSettings} from '../../model/executor/runner-dind.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-dind-docker-host-localhost',
  target: 'config-toml',
  messages: {
    localhost:
      'DOCKER_HOST={{host}} points at localhost; with the Kubernetes executor reach the dind service by its alias, tcp://docker:2376.',
  },
  check: ({runners}) =>
    runners.flatMap((r) => {
      const {host} = runnerDockerSettings(r.environment, r.kubernetes ?? {})
      if (host?.address?.kind !== 'tcp' || !isLoopbackHost(host.address.host)) return []
      return [{pointer: `${r.pointer}/environment/${host.index}`, messageId: 'localhost' as const, data: {host: host.value}}]
    }),
})
