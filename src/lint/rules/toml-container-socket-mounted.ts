import {hostPathVolumes} from '../../model/executor/volumes.js'
import {isContainerRuntimeSocket} from '../../model/host-paths.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-container-socket-mounted',
  target: 'config-toml',
  messages: {
    runtimeSocket:
      "host_path {{path}} hands the node's container runtime to every job: a job can start privileged " +
      "containers on the node and read other jobs' data.",
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      kubernetes
        ? hostPathVolumes(kubernetes)
            .filter(({path}) => isContainerRuntimeSocket(path))
            .map(({path, pointer: at}) => ({pointer: `${pointer}/kubernetes${at}`, messageId: 'runtimeSocket' as const, data: {path}}))
        : [],
    ),
})
