import {dockerPullPolicies} from '../../model/executor/docker.js'
import {unpinnedTag} from '../../model/images.js'
import {defineRule} from '../define-rule.js'

export default defineRule({
  id: 'toml-docker-image-unpinned',
  target: 'config-toml',
  messages: {
    pulledEveryJob:
      'Image "{{image}}" {{how}}, and pull_policy {{policy}} pulls it again for every job, so jobs ' +
      'change behaviour with every push upstream.',
    keptPerHost:
      'Image "{{image}}" {{how}}, and pull_policy {{policy}} keeps whichever version each host pulled ' +
      'first, so jobs differ from host to host.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, docker}) => {
      const value = docker?.image
      const problem = unpinnedTag(value)
      if (!docker || !problem) return []
      const [first] = dockerPullPolicies(docker)
      const how = problem === 'latest' ? 'is tagged latest' : `has no tag (so ${String(value)}:latest)`
      const messageId = first === 'always' ? ('pulledEveryJob' as const) : ('keptPerHost' as const)
      return [{pointer: `${pointer}/docker/image`, messageId, data: {image: String(value), how, policy: `"${first}"`}}]
    }),
})
