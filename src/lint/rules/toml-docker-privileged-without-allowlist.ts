import {restrictingPatterns} from '../../model/executor/docker.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-privileged-without-allowlist',
  target: 'config-toml',
  messages: {
    noAllowlist: '{{runner}} runs {{what}} privileged and sets no {{missing}}, so any image a job names runs with full access to the host.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) => {
      if (!docker) return []
      const privileged = docker.privileged === true
      // services_privileged overrides privileged for service containers (unset: they follow privileged).
      const servicesPrivileged = docker.services_privileged === true || (docker.services_privileged === undefined && privileged)
      const imagesOpen =
        privileged &&
        restrictingPatterns(docker.allowed_images).length === 0 &&
        restrictingPatterns(docker.allowed_privileged_images).length === 0
      const servicesOpen =
        servicesPrivileged &&
        restrictingPatterns(docker.allowed_services).length === 0 &&
        restrictingPatterns(docker.allowed_privileged_services).length === 0
      if (!imagesOpen && !servicesOpen) return []
      const missing = [
        imagesOpen && 'allowed_images or allowed_privileged_images',
        servicesOpen && 'allowed_services or allowed_privileged_services',
      ]
        .filter(Boolean)
        .join(', nor ')
      const what = imagesOpen && servicesOpen ? 'jobs and services' : imagesOpen ? 'jobs' : 'services'
      return [
        {
          pointer: `${pointer}/docker/${privileged ? 'privileged' : 'services_privileged'}`,
          messageId: 'noAllowlist' as const,
          data: {what, missing},
        },
      ]
    }),
})
