import {suppressionWithoutReason, templateNotEvaluated, unrenderedPlaceholders} from './notices.js'
import {plainRunnerTokenInValues, registrationTokenUsed, secretInRunnerConfig, tokenInConfigToml, tokenKindMismatch} from './secrets.js'
import type {FileRuleFunction, RuleFunction} from './types.js'
import {containerSocketMounted, dangerousCapabilities, emptyDirSizeInvalid, helperImageFlavorInvalid, helperImageVersionMismatch, jobsInSystemNamespace, namespaceOverwriteMatchesSystem, overwriteMaxBelowBase, overwriteRegexInvalid, overwriteRegexUnanchored, podSpecPatchInvalid, podSpecWithoutFeatureFlag, pollIntervalAboveTimeout, pollTimeoutTooLow, privilegeEscalationAllowed, privilegedWithoutImageAllowlist, privilegedWithoutNodeIsolation, procMountInvalid, pvcBuildsDirShared, sensitiveHostPath, tolerationEffectInvalid} from './kubernetes-settings.js'

/** Named functions that rules reference as `check.function`. */
export const FUNCTIONS: Record<string, RuleFunction> = {
  plainRunnerTokenInValues,
  registrationTokenUsed,
  secretInRunnerConfig,
  templateNotEvaluated,
  tokenInConfigToml,
  tokenKindMismatch,
  unrenderedPlaceholders,
  containerSocketMounted,
  dangerousCapabilities,
  emptyDirSizeInvalid,
  helperImageFlavorInvalid,
  helperImageVersionMismatch,
  jobsInSystemNamespace,
  namespaceOverwriteMatchesSystem,
  overwriteMaxBelowBase,
  overwriteRegexInvalid,
  overwriteRegexUnanchored,
  podSpecPatchInvalid,
  podSpecWithoutFeatureFlag,
  pollIntervalAboveTimeout,
  pollTimeoutTooLow,
  privilegeEscalationAllowed,
  privilegedWithoutImageAllowlist,
  privilegedWithoutNodeIsolation,
  procMountInvalid,
  pvcBuildsDirShared,
  sensitiveHostPath,
  tolerationEffectInvalid,
}

export const FILE_FUNCTIONS: Record<string, FileRuleFunction> = {
  suppressionWithoutReason,
}
