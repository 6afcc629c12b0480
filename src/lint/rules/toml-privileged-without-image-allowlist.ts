import {isPlainObject} from '../../model/chart.js'
import {privilegedSetting} from '../../model/executor/security-contexts.js'
import {stringList} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-privileged-without-image-allowlist',
  target: 'config-toml',
  messages: {
    noAllowlist: 'Containers run privileged and {{missing}} {{is}} empty, so any image a job names runs with full access to the node.',
  },
  // One report per runner, at its first privileged setting, however many of its containers are privileged.
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const privileged = kubernetes && privilegedSetting(kubernetes)
      if (!kubernetes || !privileged) return []
      // When only service containers are privileged, only the services a job names get the node.
      const onlyServices =
        kubernetes.privileged !== true &&
        !['build_container_security_context', 'helper_container_security_context'].some(
          (key) => isPlainObject(kubernetes[key]) && kubernetes[key].privileged === true,
        )
      const images = stringList(kubernetes.allowed_images)
      const services = stringList(kubernetes.allowed_services)
      if (onlyServices ? services.length > 0 : images.length > 0 && services.length > 0) return []
      const missing = onlyServices
        ? ['allowed_services']
        : [images.length === 0 && 'allowed_images', services.length === 0 && 'allowed_services'].filter(Boolean)
      const data = {missing: missing.join(' and '), is: missing.length > 1 ? 'are' : 'is'}
      return [{pointer: `${pointer}/kubernetes${privileged}`, messageId: 'noAllowlist' as const, data}]
    }),
})
