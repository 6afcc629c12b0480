import {isPlainObject} from '../../model/chart.js'
import {isLiteralSecret} from '../../model/secrets.js'
import {defineRule, type Report} from '../define-rule.js'

/** The credential keys of each [runners.cache.<provider>] table. */
const CACHE_SECRETS: Array<[string, string[]]> = [
  ['s3', ['AccessKey', 'SecretKey', 'SessionToken']],
  ['gcs', ['PrivateKey', 'AccessID']],
  ['azure', ['AccountKey']],
]

type MessageId = 'runnerToken' | 'bearerToken' | 'cacheCredential'

export default defineRule({
  id: 'toml-secret-in-configmap',
  target: 'config-toml',
  messages: {
    runnerToken: '{{name}} has a runner token in {{where}}.',
    bearerToken: '{{name}} has a Kubernetes bearer_token in {{where}}.',
    cacheCredential: '{{name}} has the cache credential {{provider}}.{{key}} in {{where}}.',
  },
  check: ({target, runners}) => {
    // The chart's own default runners.config holds no credential of the user's.
    if (target.fromChartDefault) return []
    // A standalone config.toml needs its runner token (toml-token-in-file speaks of that); a ConfigMap does not.
    const inConfigMap = Boolean(target.values || target.pointerBase)
    const where = target.values
      ? 'runners.config (rendered into a ConfigMap, not a Secret)'
      : target.pointerBase
        ? 'this ConfigMap'
        : 'config.toml'
    return runners.flatMap(({pointer, name, settings, kubernetes}) => {
      const out: Array<Report<MessageId>> = []
      if (inConfigMap && isLiteralSecret(settings.token))
        out.push({pointer: `${pointer}/token`, messageId: 'runnerToken', data: {name, where}})
      if (kubernetes && isLiteralSecret(kubernetes.bearer_token)) {
        out.push({pointer: `${pointer}/kubernetes/bearer_token`, messageId: 'bearerToken', data: {name, where}})
      }
      const cache = isPlainObject(settings.cache) ? settings.cache : undefined
      for (const [provider, keys] of CACHE_SECRETS) {
        const table = cache && isPlainObject(cache[provider]) ? cache[provider] : undefined
        for (const key of keys) {
          if (table && isLiteralSecret(table[key])) {
            out.push({pointer: `${pointer}/cache/${provider}/${key}`, messageId: 'cacheCredential', data: {name, provider, key, where}})
          }
        }
      }
      return out
    })
  },
})
