import {hostPathVolumes} from '../../model/executor/volumes.js'
import {SENSITIVE_NODE_DIRECTORIES} from '../../model/host-paths.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-sensitive-host-path',
  target: 'config-toml',
  messages: {
    sensitiveDirectory: 'host_path {{path}} mounts a sensitive node directory into job pods.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      kubernetes
        ? hostPathVolumes(kubernetes)
            .filter(({path}) => SENSITIVE_NODE_DIRECTORIES.has(path))
            .map(({path, pointer: at}) => ({pointer: `${pointer}/kubernetes${at}`, messageId: 'sensitiveDirectory' as const, data: {path}}))
        : [],
    ),
})
