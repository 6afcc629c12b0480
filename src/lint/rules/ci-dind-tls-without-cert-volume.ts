import {acrossRunners, daemonCertDir, describeCertDir, isUnexpanded, jobDockerHost} from '../../model/executor/ci-dind.js'
import {dindClientCertDir, sharesDindClientCerts} from '../../model/executor/containers.js'
import {dindServesTls} from '../../model/executor/dind.js'
import {DOCKER_TLS_PORT} from '../../model/executor/docker-host.js'
import {defineRule} from '../define-rule.js'

/** With TLS the client certificates dind writes reach the build container only through a shared volume. */
export default defineRule({
  id: 'ci-dind-tls-without-cert-volume',
  target: 'gitlab-ci',
  messages: {
    noCertVolume:
      'Job {{job}} talks TLS to {{image}}, whose DOCKER_TLS_CERTDIR is {{certDir}}, but {{runners}} mounts ' +
      'no volume at {{clientDir}}: the build container never sees the client certificates dind writes, so ' +
      'docker commands fail.',
  },
  check: ({target}) =>
    acrossRunners(
      target.data,
      target.runners,
      (use, runner) => {
        const host = jobDockerHost(use, runner)
        const certDir = daemonCertDir(use, runner)
        if (host?.address.port !== DOCKER_TLS_PORT || isUnexpanded(certDir) || !dindServesTls(use.service.image, certDir.value))
          return undefined
        if (certDir.from === 'image default' && use.incomplete) return undefined
        if (sharesDindClientCerts(runner.kubernetes, certDir.value)) return undefined
        return {
          pointer: certDir.pointer ?? host.setting.pointer ?? use.service.pointer,
          certDir: {value: certDir.value, from: certDir.from},
        }
      },
      {needsRunner: true},
    ).map(({issue, use, runners}) => ({
      pointer: issue.pointer,
      messageId: 'noCertVolume' as const,
      data: {
        job: use.job.name,
        image: use.service.image,
        certDir: describeCertDir(issue.certDir, runners),
        runners,
        clientDir: dindClientCertDir(issue.certDir.value),
      },
    })),
})
