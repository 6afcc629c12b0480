import {isPlainObject} from '../../model/chart.js'
import {containerSecurityContexts} from '../../model/executor/security-contexts.js'
import {stringList} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'DAC_READ_SEARCH',
  'NET_RAW',
  'SYS_RAWIO',
  'BPF',
  'PERFMON',
])

export default defineRule({
  id: 'toml-dangerous-capabilities',
  target: 'config-toml',
  messages: {
    netRawRestored: 'Adding capability {{capability}} to job containers undoes the runner’s default drop of NET_RAW (packet spoofing).',
    kernelControl: 'Adding capability {{capability}} to job containers gives jobs near-root control of the node kernel.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      if (!kubernetes) return []
      const lists = [{list: kubernetes.cap_add, at: '/cap_add'}]
      for (const {key, context} of containerSecurityContexts(kubernetes)) {
        if (isPlainObject(context.capabilities)) lists.push({list: context.capabilities.add, at: `/${key}/capabilities/add`})
      }
      return lists.flatMap(({list, at}) =>
        stringList(list).flatMap((capability, i) => {
          const name = capability.toUpperCase().replace(/^CAP_/, '')
          if (!DANGEROUS_CAPABILITIES.has(name)) return []
          return [
            {
              pointer: `${pointer}/kubernetes${at}/${i}`,
              messageId: name === 'NET_RAW' ? ('netRawRestored' as const) : ('kernelControl' as const),
              data: {capability},
            },
          ]
        }),
      )
    }),
})
