import {containerSecurityContexts} from '../../model/executor/security-contexts.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

// Compared without regard to case, as the runner does.
const PROC_MOUNT_TYPES = ['default', 'unmasked']

export default defineRule({
  id: 'toml-proc-mount-invalid',
  target: 'config-toml',
  messages: {
    unknownType: 'proc_mount = "{{procMount}}" is neither default nor unmasked: the runner logs an error and ignores it.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      kubernetes
        ? containerSecurityContexts(kubernetes).flatMap(({key, context: {proc_mount: procMount}}) => {
            if (!isLiteral(procMount) || procMount.trim() === '' || PROC_MOUNT_TYPES.includes(procMount.trim().toLowerCase())) return []
            return [{pointer: `${pointer}/kubernetes/${key}/proc_mount`, messageId: 'unknownType' as const, data: {procMount}}]
          })
        : [],
    ),
})
