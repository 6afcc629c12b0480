import {unanchoredOverwriteRule} from '../unanchored-overwrite-rule.js'

export default unanchoredOverwriteRule('toml-pod-overwrite-unanchored')
