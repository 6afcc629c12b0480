import {isPlainObject} from '../../model/chart.js'
import {isPlaceholder, tokenKind} from '../../model/secrets.js'
import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import {runnersOf} from '../../model/runners.js'
import type {FunctionResult, RuleFunction} from './types.js'

function literalSecret(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && !isPlaceholder(value) && !isTemplatePlaceholder(value) && !/^\$\w+$/.test(value.trim())
}

/** A runner token written into values ends up in a chart Secret and in Git; `runners.secret` keeps it out. */
export const plainRunnerTokenInValues: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const out: FunctionResult[] = []
  for (const key of ['runnerToken', 'runnerRegistrationToken'] as const) {
    if (literalSecret(target.user[key])) out.push({pointer: `/${key}`, message: `${key} holds a token in plain text: anyone who can read this file can register jobs as this runner.`})
  }
  return out
}

/** Tokens of the wrong kind fail registration in confusing ways. */
export const tokenKindMismatch: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const out: FunctionResult[] = []
  const auth = target.user.runnerToken
  const registration = target.user.runnerRegistrationToken
  if (literalSecret(auth) && tokenKind(auth) === 'registration') {
    out.push({pointer: '/runnerToken', message: 'runnerToken holds a registration token (GR1348941…): runnerToken takes a runner authentication token (glrt-…).'})
  }
  if (literalSecret(registration) && tokenKind(registration) === 'authentication') {
    out.push({pointer: '/runnerRegistrationToken', message: 'runnerRegistrationToken holds a runner authentication token (glrt-…): set it as runnerToken instead.'})
  }
  return out
}

/** Registration tokens are deprecated (disabled by default since GitLab 17.0). */
export const registrationTokenUsed: RuleFunction = ({target}) => {
  if (target.type !== 'values') return []
  const value = target.user.runnerRegistrationToken
  if (value === undefined || value === '' || value === null) return []
  return [{pointer: '/runnerRegistrationToken', message: 'runnerRegistrationToken uses the deprecated registration workflow, disabled by default since GitLab 17.0.'}]
}

const CACHE_SECRETS: Array<[string, string[]]> = [
  ['s3', ['AccessKey', 'SecretKey', 'SessionToken']],
  ['gcs', ['PrivateKey', 'AccessID']],
  ['azure', ['AccountKey']],
]

/**
 * Credentials in `runners.config` or a ConfigMap: the chart renders `runners.config` into a ConfigMap, which
 * anyone with read access to ConfigMaps in the namespace can read.
 */
export const secretInRunnerConfig: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml' || target.fromChartDefault) return []
  const out: FunctionResult[] = []
  const where = target.values ? 'runners.config (rendered into a ConfigMap, not a Secret)' : target.pointerBase ? 'this ConfigMap' : 'config.toml'
  for (const runner of runnersOf(target)) {
    if (literalSecret(runner.settings.token) && (target.values || target.pointerBase)) {
      out.push({pointer: `${runner.pointer}/token`, message: `${runner.name} has a runner token in ${where}.`})
    }
    const k = runner.kubernetes
    if (k && literalSecret(k.bearer_token)) out.push({pointer: `${runner.pointer}/kubernetes/bearer_token`, message: `${runner.name} has a Kubernetes bearer_token in ${where}.`})
    const cache = isPlainObject(runner.settings.cache) ? runner.settings.cache : undefined
    for (const [provider, keys] of CACHE_SECRETS) {
      const table = cache && isPlainObject(cache[provider]) ? cache[provider] : undefined
      for (const key of keys) {
        if (table && literalSecret(table[key])) out.push({pointer: `${runner.pointer}/cache/${provider}/${key}`, message: `${runner.name} has the cache credential ${provider}.${key} in ${where}.`})
      }
    }
  }
  return out
}

/** A token in a standalone config.toml is expected at run time, but not in a file kept in a repository. */
export const tokenInConfigToml: RuleFunction = ({target}) => {
  if (target.type !== 'config-toml' || target.values || target.pointerBase) return []
  return runnersOf(target)
    .filter((r) => literalSecret(r.settings.token) && !/^(REDACTED|x+|\*+|TOKEN|<.*>)$/i.test(String(r.settings.token)))
    .map((r) => ({pointer: `${r.pointer}/token`, message: `${r.name} has its runner token in this file: keep config.toml out of version control or render the token at deploy time.`}))
}
