import flagData from '../data/runner-feature-flags.json' with {type: 'json'}
import {compareVersions, isPlainObject, parseVersion} from './chart.js'
import type {RunnerView} from './runners.js'
import {encodePointer} from '../util/json-pointer.js'

/** A runner feature flag's life, from src/data/runner-feature-flags.json (see its `_source`). */
export interface FeatureFlagHistory {
  added: string
  default: boolean
  deprecated?: string
  removed?: string
  toBeRemovedWith?: string
}

const FLAGS: Record<string, FeatureFlagHistory> = flagData.flags

export function featureFlagHistory(name: string): FeatureFlagHistory | undefined {
  return Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined
}

/** Every flag name any runner release since 11.11 knew, removed ones included. */
export function knownFeatureFlags(): string[] {
  return Object.keys(FLAGS)
}

/** One feature flag a runner sets, in `[runners.feature_flags]` or as an `environment` entry. */
export interface FeatureFlagSetting {
  name: string
  /** As written: a TOML boolean in the table, the text after `=` in `environment`. */
  value: unknown
  /** Pointer of the setting relative to the target. */
  pointer: string
}

export function featureFlagSettings(runner: RunnerView): FeatureFlagSetting[] {
  const table = isPlainObject(runner.settings.feature_flags) ? runner.settings.feature_flags : {}
  const fromTable = Object.entries(table).map(([name, value]) => ({
    name,
    value,
    pointer: `${runner.pointer}/feature_flags${encodePointer([name])}`,
  }))
  const fromEnvironment = runner.environment.flatMap((entry, i) => {
    const m = /^\s*(FF_[A-Za-z0-9_]+)\s*=(.*)$/.exec(entry)
    return m ? [{name: m[1], value: m[2].trim(), pointer: `${runner.pointer}/environment/${i}`}] : []
  })
  return [...fromTable, ...fromEnvironment]
}

export type FlagObsolescence = {kind: 'removed'; in: string; runnerKnown: boolean} | {kind: 'deprecated'; since: string; removal?: string}

/**
 * Whether a flag is gone or on its way out for a runner at `runnerVersion`. With the version unknown, a flag some
 * release removed counts as removed (`runnerKnown` false), since the runner may be that release or newer.
 */
export function flagObsolescence(name: string, runnerVersion: string | undefined): FlagObsolescence | undefined {
  const flag = featureFlagHistory(name)
  if (!flag) return undefined
  const version = runnerVersion && parseVersion(runnerVersion) ? runnerVersion : undefined
  if (flag.removed && (!version || compareVersions(version, flag.removed) >= 0))
    return {kind: 'removed', in: flag.removed, runnerKnown: version !== undefined}
  if (flag.deprecated && (!version || compareVersions(version, flag.deprecated) >= 0)) {
    const removal = flag.removed ?? flag.toBeRemovedWith
    return {kind: 'deprecated', since: flag.deprecated, ...(removal ? {removal} : {})}
  }
  return undefined
}

/** Whether a setting asks for the flag's default value (`true`, "1", "false" ... as strconv.ParseBool reads them). */
export function setsDefault(setting: FeatureFlagSetting, flag: FeatureFlagHistory): boolean | undefined {
  const value = setting.value
  const parsed = typeof value === 'boolean' ? value : typeof value === 'string' ? parseGoBool(value) : undefined
  return parsed === undefined ? undefined : parsed === flag.default
}

function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false
  return undefined
}
