import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {loadRules} from '../lint/rule.js'
import {packagePath} from './catalog.js'
import {checkRulesDoc, renderRulesMarkdown, RULES_DOC} from './rules-markdown.js'

// `npm run docs` writes docs/rules.md; `npm run docs:check` (CI) fails when the committed file is stale.
async function main(argv: string[]): Promise<number> {
  const rules = await loadRules()
  if (argv.includes('--check')) {
    const result = checkRulesDoc(rules)
    ;(result.upToDate ? process.stdout : process.stderr).write(`${result.message}\n`)
    return result.upToDate ? 0 : 1
  }
  mkdirSync(dirname(RULES_DOC), {recursive: true})
  writeFileSync(RULES_DOC, renderRulesMarkdown(rules))
  process.stdout.write(`Wrote ${packagePath(RULES_DOC)} (${rules.length} rules).\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`runner-doctor docs: ${(error as Error).message}\n`)
    process.exitCode = 2
  },
)
