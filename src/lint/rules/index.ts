// Generated from rules/*.yaml by scripts/generate-rule-index.mjs (run by `npm run build`): do not edit.
import type {RuleModule} from '../define-rule.js'
import rule_toml_image_unpinned from './toml-image-unpinned.js'
import rule_toml_service_image_unpinned from './toml-service-image-unpinned.js'

/** The code of every rule whose metadata has no JSON-Schema check, by rule id. */
export const RULE_MODULES: Readonly<Record<string, RuleModule>> = {
  'toml-image-unpinned': rule_toml_image_unpinned,
  'toml-service-image-unpinned': rule_toml_service_image_unpinned,
}
