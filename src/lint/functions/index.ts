import {suppressionWithoutReason, templateNotEvaluated, unrenderedPlaceholders} from './notices.js'
import type {FileRuleFunction, RuleFunction} from './types.js'

/** Named functions that rules reference as `check.function`. */
export const FUNCTIONS: Record<string, RuleFunction> = {
  templateNotEvaluated,
  unrenderedPlaceholders,
}

export const FILE_FUNCTIONS: Record<string, FileRuleFunction> = {
  suppressionWithoutReason,
}
