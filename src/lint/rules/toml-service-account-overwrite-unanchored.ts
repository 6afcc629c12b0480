import {unanchoredOverwriteRule} from '../unanchored-overwrite-rule.js'

export default unanchoredOverwriteRule('toml-service-account-overwrite-unanchored')
