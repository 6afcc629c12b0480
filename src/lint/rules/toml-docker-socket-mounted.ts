import {dockerVolumes, isContainerRuntimeSocketPath} from '../../model/executor/docker.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-socket-mounted',
  target: 'config-toml',
  messages: {
    runtimeSocket:
      "volumes mounts the host's {{path}} into every job: a job can start privileged containers " +
      "on the host and read other jobs' containers.",
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) =>
      dockerVolumes(docker ?? {})
        .filter(({hostPath}) => hostPath !== undefined && isContainerRuntimeSocketPath(hostPath))
        .map(({index, hostPath}) => ({
          pointer: `${pointer}/docker/volumes/${index}`,
          messageId: 'runtimeSocket' as const,
          data: {path: hostPath!},
        })),
    ),
})
