import {unanchoredOverwriteRule} from '../unanchored-overwrite-rule.js'

export default unanchoredOverwriteRule('toml-namespace-overwrite-unanchored')
