import {dindClientCertDir, sharesDindClientCerts} from '../../model/executor/containers.js'
import {dindServesTls} from '../../model/executor/dind.js'
import {runnerDockerSettings} from '../../model/executor/runner-dind.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-dind-tls-without-cert-volume',
  target: 'config-toml',
  messages: {
    noCertVolume:
      'DOCKER_TLS_CERTDIR={{certDir}} but no volume is mounted at {{clientDir}}, so the build container ' +
      'never sees the client certificates docker:dind writes.',
  },
  check: ({runners}) =>
    runners.flatMap((r) => {
      const kubernetes = r.kubernetes ?? {}
      const {certDir, dindImage} = runnerDockerSettings(r.environment, kubernetes)
      if (!certDir || !isLiteral(certDir.value) || !dindServesTls(dindImage, certDir.value)) return []
      if (sharesDindClientCerts(kubernetes, certDir.value)) return []
      return [
        {
          pointer: `${r.pointer}/environment/${certDir.index}`,
          messageId: 'noCertVolume' as const,
          data: {certDir: certDir.value, clientDir: dindClientCertDir(certDir.value)},
        },
      ]
    }),
})
