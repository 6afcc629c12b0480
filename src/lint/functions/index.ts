import {suppressionWithoutReason, templateNotEvaluated, unrenderedPlaceholders} from './notices.js'
import {plainRunnerTokenInValues, registrationTokenUsed, secretInRunnerConfig, tokenInConfigToml, tokenKindMismatch} from './secrets.js'
import type {FileRuleFunction, RuleFunction} from './types.js'

/** Named functions that rules reference as `check.function`. */
export const FUNCTIONS: Record<string, RuleFunction> = {
  plainRunnerTokenInValues,
  registrationTokenUsed,
  secretInRunnerConfig,
  templateNotEvaluated,
  tokenInConfigToml,
  tokenKindMismatch,
  unrenderedPlaceholders,
}

export const FILE_FUNCTIONS: Record<string, FileRuleFunction> = {
  suppressionWithoutReason,
}
