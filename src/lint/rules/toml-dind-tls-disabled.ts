import {runnerDockerSettings} from '../../model/executor/runner-dind.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-dind-tls-disabled',
  target: 'config-toml',
  messages: {
    disabled:
      'DOCKER_TLS_CERTDIR is empty, so docker:dind serves an unauthenticated Docker API that every container in the job pod can reach.',
  },
  check: ({runners}) =>
    runners.flatMap((r) => {
      const {certDir} = runnerDockerSettings(r.environment, r.kubernetes ?? {})
      // Any other value turns TLS on, or is ignored by images that never serve TLS.
      if (certDir?.value !== '') return []
      return [{pointer: `${r.pointer}/environment/${certDir.index}`, messageId: 'disabled' as const}]
    }),
})
