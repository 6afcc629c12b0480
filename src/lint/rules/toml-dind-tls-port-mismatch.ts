import {dindServesTls} from '../../model/executor/dind.js'
import {DOCKER_PLAIN_PORT, DOCKER_TLS_PORT} from '../../model/executor/docker-host.js'
import {runnerDockerSettings} from '../../model/executor/runner-dind.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'plainPortTls' | 'tlsPortPlain'

/** The daemon of docker:dind listens on 2376 with TLS when DOCKER_TLS_CERTDIR is set and on 2375 without. */
export default defineRule({
  id: 'toml-dind-tls-port-mismatch',
  target: 'config-toml',
  messages: {
    plainPortTls:
      'DOCKER_HOST uses port 2375 (plain) while DOCKER_TLS_CERTDIR={{certDir}} makes docker:dind listen ' +
      'with TLS on 2376: jobs fail with "Cannot connect to the Docker daemon".',
    tlsPortPlain:
      'DOCKER_HOST uses port 2376 (TLS) while DOCKER_TLS_CERTDIR is empty, so docker:dind listens without ' +
      'TLS on 2375: jobs cannot connect.',
  },
  check: ({runners}) =>
    runners.flatMap((r): Array<Report<MessageId>> => {
      const {host, certDir, dindImage} = runnerDockerSettings(r.environment, r.kubernetes ?? {})
      if (!host?.address || host.address.kind !== 'tcp' || !certDir || !isLiteral(host.value) || certDir.value.includes('$')) return []
      const tls = dindServesTls(dindImage, certDir.value)
      const pointer = `${r.pointer}/environment/${host.index}`
      if (host.address.port === DOCKER_PLAIN_PORT && tls) return [{pointer, messageId: 'plainPortTls', data: {certDir: certDir.value}}]
      if (host.address.port === DOCKER_TLS_PORT && !tls) return [{pointer, messageId: 'tlsPortPlain'}]
      return []
    }),
})
