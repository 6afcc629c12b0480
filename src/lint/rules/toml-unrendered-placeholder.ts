import {unfilledValues} from '../../model/unfilled-values.js'
import {counted, ENGINE_LABEL, firstFew, substitutionEngine, substitutionsIn} from '../../model/template-engines.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

// A runner's url has its own placeholder rule (toml-url-placeholder).
const isRunnerUrl = (path: Array<string | number>) => path.length === 3 && path[0] === 'runners' && path[2] === 'url'

/** `cpu_limit`, `allowed_pull_policies[0]`: the key as written in its table, with the index of a list entry. */
function settingName(path: Array<string | number>): string {
  const keyAt = path.findLastIndex((part) => typeof part === 'string')
  return `${String(path[keyAt])}${path
    .slice(keyAt + 1)
    .map((i) => `[${i}]`)
    .join('')}`
}

type MessageId = 'substituted' | 'unfilled'

export default defineRule({
  id: 'toml-unrendered-placeholder',
  target: 'config-toml',
  messages: {
    substituted: '{{count}} filled in by {{engine}} at deploy time ({{placeholders}}): lint the rendered file to check those values.',
    unfilled: '{{setting}} = "{{placeholder}}" is a placeholder: fill it in before deploying; the value is checked once it is real.',
  },
  check: ({target}) => {
    const out: Array<Report<MessageId>> = []
    // In chart values, values-unrendered-placeholder reports runners.config's `${…}` with the rest of the file.
    const found = target.values ? [] : substitutionsIn(target.data)
    const directives = target.templateNotes.filter((note) => note.action.startsWith('%{'))
    if (found.length + directives.length > 0) {
      const placeholders = [...found.map((f) => f.placeholder), ...directives.map((d) => d.action)]
      const engine = substitutionEngine(placeholders, {openshiftTemplate: target.pointerBase.startsWith('/objects/')})
      const data = {
        count: counted(new Set(placeholders).size, 'placeholder'),
        engine: ENGINE_LABEL[engine],
        placeholders: firstFew(placeholders),
      }
      // Once per file, at the first placeholder: a template has many, and one finding each is noise.
      out.push(
        found.length > 0
          ? {pointer: encodePointer(found[0].path), messageId: 'substituted', data}
          : {pointer: '', at: directives[0].span, messageId: 'substituted', data},
      )
    }
    for (const {path, value} of unfilledValues(target.data, isRunnerUrl)) {
      out.push({pointer: encodePointer(path), messageId: 'unfilled', data: {setting: settingName(path), placeholder: value}})
    }
    return out
  },
})
