import {volumesOf} from '../../model/executor/volumes.js'
import {isLiteral} from '../../model/literals.js'
import {parseQuantity} from '../../model/quantity.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-empty-dir-size-invalid',
  target: 'config-toml',
  messages: {
    notQuantity: 'size_limit = "{{sizeLimit}}" is not a Kubernetes quantity (for example "1Gi"): the job pod cannot be built.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) =>
      kubernetes
        ? volumesOf(kubernetes, 'empty_dir').flatMap(({volume: {size_limit: sizeLimit}, index}) => {
            if (!isLiteral(sizeLimit) || sizeLimit === '' || parseQuantity(sizeLimit) !== undefined) return []
            return [
              {
                pointer: `${pointer}/kubernetes/volumes/empty_dir/${index}/size_limit`,
                messageId: 'notQuantity' as const,
                data: {sizeLimit},
              },
            ]
          })
        : [],
    ),
})
