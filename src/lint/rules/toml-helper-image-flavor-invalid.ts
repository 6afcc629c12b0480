import {HELPER_IMAGE_FLAVORS} from '../../model/executor/helper-image.js'
import {isLiteral} from '../../model/literals.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-helper-image-flavor-invalid',
  target: 'config-toml',
  messages: {
    unknownFlavor: 'helper_image_flavor = "{{flavor}}" is not a helper image flavor ({{flavors}}): the helper image cannot be pulled.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, kubernetes}) => {
      const flavor = kubernetes?.helper_image_flavor
      if (!isLiteral(flavor) || flavor === '' || HELPER_IMAGE_FLAVORS.includes(flavor)) return []
      return [
        {
          pointer: `${pointer}/kubernetes/helper_image_flavor`,
          messageId: 'unknownFlavor' as const,
          data: {flavor, flavors: HELPER_IMAGE_FLAVORS.join(', ')},
        },
      ]
    }),
})
