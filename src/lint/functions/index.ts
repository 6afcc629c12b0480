import type {FileRuleFunction, RuleFunction} from './types.js'

/** Named functions that rules reference as `check.function`. */
export const FUNCTIONS: Record<string, RuleFunction> = {
}

export const FILE_FUNCTIONS: Record<string, FileRuleFunction> = {
}
