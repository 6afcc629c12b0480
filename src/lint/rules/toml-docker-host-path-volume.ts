import {dockerVolumes, isContainerRuntimeSocketPath, isSensitiveHostDirectory, normalizedHostPath} from '../../model/executor/docker.js'
import {defineRule, type Report} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-host-path-volume',
  target: 'config-toml',
  messages: {
    sensitiveDirectory:
      'volumes mounts the host directory {{path}} into every job: jobs read (and unless :ro, change) the host system there.',
    sharedDirectory:
      'volumes mounts the host directory {{path}} into every job, writable: jobs of every project ' +
      'on this host share it, so one job can read or tamper with what another leaves there.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) =>
      dockerVolumes(docker ?? {}).flatMap(({index, hostPath, readOnly}): Array<Report<'sensitiveDirectory' | 'sharedDirectory'>> => {
        // The runtime socket has a rule of its own (toml-docker-socket-mounted).
        if (hostPath === undefined || isContainerRuntimeSocketPath(hostPath)) return []
        const path = normalizedHostPath(hostPath)
        const at = `${pointer}/docker/volumes/${index}`
        if (isSensitiveHostDirectory(path)) return [{pointer: at, messageId: 'sensitiveDirectory', data: {path}}]
        return readOnly ? [] : [{pointer: at, messageId: 'sharedDirectory', severity: 'info', data: {path}}]
      }),
    ),
})
