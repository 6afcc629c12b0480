import {OVERWRITE_REGEX_KEYS, unanchoredOverwriteRegexes} from '../model/executor/overwrite-regexes.js'
import {defineRule} from './define-rule.js'

/**
 * The code of the rules that report unanchored overwrite regexes. They differ only in the settings they cover, named
 * by `check.options.keys` in each rule's metadata, and in severity, so each rule module is this with its id.
 */
export function unanchoredOverwriteRule(id: string) {
  return defineRule({
    id,
    target: 'config-toml',
    messages: {
      unanchored: '{{key}} = "{{regex}}" is not anchored: the runner accepts any value that merely contains a match. Write it as ^(…)$.',
    },
    check: ({runners, options}) => {
      const keys = Array.isArray(options.keys) ? (options.keys as string[]) : OVERWRITE_REGEX_KEYS
      return runners.flatMap(({pointer, kubernetes}) =>
        kubernetes
          ? unanchoredOverwriteRegexes(kubernetes, keys).map(({key, regex}) => ({
              pointer: `${pointer}/kubernetes/${key}`,
              messageId: 'unanchored' as const,
              data: {key, regex},
            }))
          : [],
      )
    },
  })
}
