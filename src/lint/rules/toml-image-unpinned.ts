import {unpinnedTag} from '../../model/images.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-image-unpinned',
  target: 'config-toml',
  messages: {
    untagged: 'Image "{{image}}" has no tag, so it means {{image}}:latest and changes with every push upstream.',
    latest: 'Image "{{image}}" is tagged latest and changes with every push upstream.',
  },
  check: ({given}) =>
    given.flatMap(({pointer, value}) => {
      const problem = unpinnedTag(value)
      return problem ? [{pointer, messageId: problem, data: {image: String(value)}}] : []
    }),
})
