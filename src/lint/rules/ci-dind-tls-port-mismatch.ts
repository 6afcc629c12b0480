import {
  acrossRunners,
  ANY_RUNNER,
  daemonCertDir,
  describeCertDir,
  isUnexpanded,
  jobDockerHost,
  settingOrigin,
} from '../../model/executor/ci-dind.js'
import {dindServesTls, dindTlsSupport} from '../../model/executor/dind.js'
import {DOCKER_PLAIN_PORT, DOCKER_TLS_PORT} from '../../model/executor/docker-host.js'
import {defineRule} from '../define-rule.js'

type Mismatch = 'plainPortTls' | 'plainPortTlsAssumed' | 'tlsPortPlain' | 'tlsPortImageWithoutTls'

/** The dind daemon listens with TLS on 2376 when DOCKER_TLS_CERTDIR is set, and on 2375 without TLS only when it is empty. */
export default defineRule({
  id: 'ci-dind-tls-port-mismatch',
  target: 'gitlab-ci',
  messages: {
    plainPortTls:
      'Job {{job}}: DOCKER_HOST={{host}}{{hostFrom}} is the plain port, but {{image}} listens with TLS on ' +
      '2376 because its DOCKER_TLS_CERTDIR is {{certDir}}: docker commands fail with "Cannot connect to the ' +
      'Docker daemon".',
    // Without the runner's config, its environment could still turn TLS off: say so, and do not fail the run on it.
    plainPortTlsAssumed:
      'Job {{job}}: DOCKER_HOST={{host}}{{hostFrom}} is the plain port, but {{image}} listens with TLS on ' +
      '2376 because its DOCKER_TLS_CERTDIR is {{certDir}}: docker commands fail with "Cannot connect to the ' +
      'Docker daemon". Unless the runner sets DOCKER_TLS_CERTDIR to "" in its environment; lint its config ' +
      'in the same run to know.',
    tlsPortPlain:
      'Job {{job}}: DOCKER_HOST={{host}}{{hostFrom}} expects TLS on 2376, but DOCKER_TLS_CERTDIR is empty ' +
      'for {{image}}, so it listens without TLS on 2375: docker commands cannot connect.',
    tlsPortImageWithoutTls:
      'Job {{job}}: DOCKER_HOST={{host}}{{hostFrom}} expects TLS on 2376, but {{image}} predates TLS in the ' +
      'docker images and always listens without TLS on 2375: docker commands cannot connect.',
  },
  check: ({target}) =>
    acrossRunners(target.data, target.runners, (use, runner) => {
      const host = jobDockerHost(use, runner)
      const certDir = daemonCertDir(use, runner)
      if (!host || isUnexpanded(certDir)) return undefined
      // An included file or template could set DOCKER_TLS_CERTDIR where this file cannot see it.
      if (certDir.from === 'image default' && use.incomplete) return undefined
      const tls = dindServesTls(use.service.image, certDir.value)
      let mismatch: Mismatch | undefined
      if (host.address.port === DOCKER_PLAIN_PORT && tls)
        mismatch = certDir.from === 'image default' && runner === ANY_RUNNER ? 'plainPortTlsAssumed' : 'plainPortTls'
      else if (host.address.port === DOCKER_TLS_PORT && !tls)
        mismatch = dindTlsSupport(use.service.image) === 'none' ? 'tlsPortImageWithoutTls' : 'tlsPortPlain'
      if (!mismatch) return undefined
      const pointer = host.setting.pointer ?? certDir.pointer ?? use.service.pointer
      return {pointer, mismatch, host: host.setting.value, hostFrom: host.setting.from, certDir: {value: certDir.value, from: certDir.from}}
    }).map(({issue, use, runners}) => ({
      pointer: issue.pointer,
      messageId: issue.mismatch,
      ...(issue.mismatch === 'plainPortTlsAssumed' ? {severity: 'warning' as const} : {}),
      data: {
        job: use.job.name,
        image: use.service.image,
        host: issue.host,
        hostFrom: settingOrigin({from: issue.hostFrom}, runners),
        certDir: describeCertDir(issue.certDir, runners),
      },
    })),
})
