import {capacityExceeded, concurrentBelowRunners, requestConcurrencyBottleneck} from './concurrency.js'
import {suppressionWithoutReason, templateNotEvaluated, unrenderedPlaceholders} from './notices.js'
import {invalidQuantity, missingContainerResources, privilegedContainerContext, requestAboveLimit} from './resources.js'
import {plainRunnerTokenInValues, registrationTokenUsed, secretInRunnerConfig, tokenInConfigToml, tokenKindMismatch} from './secrets.js'
import type {FileRuleFunction, RuleFunction} from './types.js'
import {containerSocketMounted, dangerousCapabilities, emptyDirSizeInvalid, helperImageFlavorInvalid, helperImageVersionMismatch, jobsInSystemNamespace, namespaceOverwriteMatchesSystem, overwriteMaxBelowBase, overwriteRegexInvalid, overwriteRegexUnanchored, podSpecPatchInvalid, podSpecWithoutFeatureFlag, pollIntervalAboveTimeout, pollTimeoutTooLow, privilegeEscalationAllowed, privilegedWithoutImageAllowlist, privilegedWithoutNodeIsolation, procMountInvalid, pvcBuildsDirShared, sensitiveHostPath, tolerationEffectInvalid} from './kubernetes-settings.js'

/** Named functions that rules reference as `check.function`. */
export const FUNCTIONS: Record<string, RuleFunction> = {
  capacityExceeded,
  concurrentBelowRunners,
  invalidQuantity,
  missingContainerResources,
  plainRunnerTokenInValues,
  privilegedContainerContext,
  registrationTokenUsed,
  requestAboveLimit,
  requestConcurrencyBottleneck,
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
