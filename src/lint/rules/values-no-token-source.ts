import {isPlainObject, valuesLookComplete} from '../../model/chart.js'
import {defineRule} from '../define-rule.js'

// Environment variables the runner's register and run commands read a token from.
const TOKEN_VARIABLES = /^(CI_SERVER_TOKEN|RUNNER_TOKEN|REGISTRATION_TOKEN|RUNNER_REGISTRATION_TOKEN|CI_RUNNER_TOKEN)$/

const isSet = (value: unknown) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')

/** Whether a list of `{name, value|valueFrom}` (envVars) or a map (extraEnv) sets a token variable. */
function setsTokenVariable(list: unknown): boolean {
  if (Array.isArray(list))
    return list.some((entry) => isPlainObject(entry) && typeof entry.name === 'string' && TOKEN_VARIABLES.test(entry.name))
  return isPlainObject(list) && Object.keys(list).some((name) => TOKEN_VARIABLES.test(name))
}

/** Whether runners.config writes a token itself (`token = …` in a [[runners]] entry). */
const configHasToken = (config: unknown) => typeof config === 'string' && /^\s*token\s*=/m.test(config)

export default defineRule({
  id: 'values-no-token-source',
  target: 'values',
  messages: {
    noToken:
      'No runner token comes from these values: neither runnerToken, runnerRegistrationToken, runners.secret ' +
      'nor a token variable is set, so the runner cannot register unless the deploy passes one.',
  },
  check: ({target}) => {
    const user = target.user
    // Umbrella charts (the GitLab chart creates the runner's token Secret itself) and values other files complete
    // get the token from elsewhere.
    if ('global' in user || 'install' in user || /(^|\/)gitlab-runner$/.test(target.pointerBase) || !valuesLookComplete(target)) return []
    const runners = isPlainObject(user.runners) ? user.runners : {}
    const sources = [
      isSet(user.runnerToken),
      isSet(user.runnerRegistrationToken),
      isSet(runners.secret),
      setsTokenVariable(user.envVars),
      setsTokenVariable(user.extraEnv),
      isSet(user.extraEnvFrom),
      isSet(user.extraEnvFromRefs),
      configHasToken(runners.config),
    ]
    return sources.some(Boolean) ? [] : [{pointer: '', messageId: 'noToken' as const}]
  },
})
