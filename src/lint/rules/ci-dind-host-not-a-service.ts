import {acrossRunners, jobDockerHost} from '../../model/executor/ci-dind.js'
import {isLoopbackHost} from '../../model/executor/docker-host.js'
import {serviceAliases} from '../../model/executor/services.js'
import {defineRule} from '../define-rule.js'

/** Service containers are reached by their aliases (hostAliases) or on localhost; any other bare name goes to DNS and fails. */
export default defineRule({
  id: 'ci-dind-host-not-a-service',
  target: 'gitlab-ci',
  messages: {
    notAService:
      'Job {{job}}: DOCKER_HOST={{value}} names "{{host}}", but no service of the job answers to it; ' +
      '{{image}} is reachable as {{reachable}}. Add alias: {{host}} to the service.',
  },
  check: ({target}) =>
    acrossRunners(target.data, target.runners, (use, runner) => {
      const docker = jobDockerHost(use, runner)
      // Dotted names and addresses may be a real remote daemon; only a bare name is meant as a service alias.
      if (!docker || isLoopbackHost(docker.address.host) || /[.:]/.test(docker.address.host)) return undefined
      const host = docker.address.host
      if (use.job.services.some((s) => serviceAliases(s.image, s.alias).includes(host))) return undefined
      return {pointer: docker.setting.pointer ?? use.service.pointer, value: docker.setting.value, host}
    }).map(({issue, use}) => {
      const aliases = serviceAliases(use.service.image, use.service.alias)
      return {
        pointer: issue.pointer,
        messageId: 'notAService' as const,
        data: {
          job: use.job.name,
          value: issue.value,
          host: issue.host,
          image: use.service.image,
          reachable: aliases.length > 0 ? `${aliases.join(', ')} or localhost` : 'localhost only',
        },
      }
    }),
})
