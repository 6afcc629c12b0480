import {isPlainObject} from './chart.js'
import {environmentMap, type RunnerView} from './runners.js'

/**
 * Whether a runner feature flag is on: `[runners.feature_flags]` NAME = true, or NAME in the runner's `environment`
 * set to 1, t or true (in any case).
 */
export function featureFlagOn(runner: Pick<RunnerView, 'settings' | 'environment'>, name: string): boolean {
  const flags = isPlainObject(runner.settings.feature_flags) ? runner.settings.feature_flags : {}
  if (flags[name] === true) return true
  const variable = environmentMap(runner.environment).get(name)
  return variable !== undefined && /^(1|t|true)$/i.test(variable.value.trim())
}
