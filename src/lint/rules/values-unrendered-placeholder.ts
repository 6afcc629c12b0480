import {unfilledValues} from '../../model/unfilled-values.js'
import {counted, ENGINE_LABEL, firstFew, substitutionEngine, substitutionsIn} from '../../model/template-engines.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

// runners.config's stand-ins are named by its own target (toml-unrendered-placeholder); its `${…}` are counted here.
const isRunnersConfig = (path: Array<string | number>) => path.length === 2 && path[0] === 'runners' && path[1] === 'config'

// Keys with a placeholder rule of their own: values-gitlab-url-placeholder and the token rules.
const OWN_RULE_KEYS = new Set(['gitlabUrl', 'runnerToken', 'runnerRegistrationToken'])
const hasOwnRule = (path: Array<string | number>) => path.length === 1 && OWN_RULE_KEYS.has(String(path[0]))

type MessageId = 'substituted' | 'unfilled'

export default defineRule({
  id: 'values-unrendered-placeholder',
  target: 'values',
  messages: {
    substituted: '{{count}} filled in by {{engine}} at deploy time ({{placeholders}}): lint the rendered file to check those values.',
    unfilled: '{{setting}}: "{{placeholder}}" is a placeholder: fill it in before deploying; the value is checked once it is real.',
  },
  check: ({target}) => {
    const out: Array<Report<MessageId>> = []
    const found = substitutionsIn(target.user)
    if (found.length > 0) {
      const placeholders = found.map((f) => f.placeholder)
      const engine = substitutionEngine(placeholders, {
        terraform: target.pointerBase.startsWith('/resource/'),
        flux: target.pointerBase === '/spec/values',
      })
      const data = {
        count: counted(new Set(placeholders).size, 'placeholder'),
        engine: ENGINE_LABEL[engine],
        placeholders: firstFew(placeholders),
      }
      // Once per file, at the first placeholder: a template has many, and one finding each is noise.
      out.push({pointer: encodePointer(found[0].path), messageId: 'substituted', data})
    }
    for (const {path, value} of unfilledValues(target.user, (path) => isRunnersConfig(path) || hasOwnRule(path))) {
      out.push({pointer: encodePointer(path), messageId: 'unfilled', data: {setting: path.join('.'), placeholder: value}})
    }
    return out
  },
})
