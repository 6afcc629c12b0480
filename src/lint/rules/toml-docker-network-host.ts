import {isLiteral} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-network-host',
  target: 'config-toml',
  messages: {
    hostNetwork:
      '{{runner}} puts job containers on the host\'s network (network_mode = "host"): jobs reach ' +
      'everything the host listens on, including on localhost, and concurrent jobs clash over ports.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) => {
      const mode = docker?.network_mode
      return isLiteral(mode) && mode.trim().toLowerCase() === 'host'
        ? [{pointer: `${pointer}/docker/network_mode`, messageId: 'hostNetwork' as const}]
        : []
    }),
})
