import {isPlainObject} from '../../model/chart.js'
import {addressHost, crossesNetwork, isPlainHttpAcrossNetwork} from '../../model/urls.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'gitlabUrl' | 'cacheInsecure' | 'cacheHttp'

export default defineRule({
  id: 'toml-insecure-http',
  target: 'config-toml',
  messages: {
    gitlabUrl:
      '{{runner}} talks to GitLab over plain http ({{url}}): its token, every job token, job logs ' +
      'and artifacts cross the network in clear text.',
    cacheInsecure:
      '{{runner}} reaches its S3 cache over plain http (Insecure = true): cache archives can be ' +
      'read and replaced on the way, poisoning later jobs.',
    cacheHttp:
      '{{runner}} reaches its S3 cache over plain http ({{url}}): cache archives can be read and ' +
      'replaced on the way, poisoning later jobs.',
  },
  check: ({runners}) =>
    runners.flatMap(({pointer, settings}): Array<Report<MessageId>> => {
      const out: Array<Report<MessageId>> = []
      for (const key of ['url', 'clone_url']) {
        if (isPlainHttpAcrossNetwork(settings[key]))
          out.push({pointer: `${pointer}/${key}`, messageId: 'gitlabUrl', data: {url: settings[key] as string}})
      }
      const cache = isPlainObject(settings.cache) ? settings.cache : {}
      const s3 = isPlainObject(cache.s3) ? cache.s3 : undefined
      // Without ServerAddress the runner talks to AWS S3 itself.
      const s3Host = s3
        ? s3.ServerAddress === undefined && s3.BucketName !== undefined
          ? 's3.amazonaws.com'
          : addressHost(s3.ServerAddress)
        : undefined
      // Judged only with a server named: a Service in the cluster (MinIO, Garage) keeps the traffic off the network.
      if (s3 && s3Host && crossesNetwork(s3Host) && (cache.Type === undefined || cache.Type === 's3')) {
        if (s3.Insecure === true) out.push({pointer: `${pointer}/cache/s3/Insecure`, messageId: 'cacheInsecure'})
        else if (isPlainHttpAcrossNetwork(s3.ServerAddress))
          out.push({pointer: `${pointer}/cache/s3/ServerAddress`, messageId: 'cacheHttp', data: {url: s3.ServerAddress as string}})
      }
      return out
    }),
})
