import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {checkRulesDoc, renderRulesMarkdown} from '../../src/docs/rules-markdown.js'
import {loadRules} from '../../src/lint/rule.js'

// The same comparison as `npm run docs:check`, so the test suite catches stale docs as CI does.
test('docs/rules.md is what npm run docs generates', async () => {
  const result = checkRulesDoc(await loadRules())
  if (!result.upToDate) throw new Error(result.message)
  expect(result.message).toBe('docs/rules.md is up to date.')
})

test('the generator is deterministic and reports where a stale file differs', async () => {
  const rules = await loadRules()
  const first = renderRulesMarkdown(rules)
  expect(renderRulesMarkdown([...rules].reverse())).toBe(first)
  const dir = mkdtempSync(join(tmpdir(), 'rd-rules-doc-'))
  try {
    const stale = join(dir, 'rules.md')
    const lines = first.split('\n')
    lines[9] = 'edited by hand'
    writeFileSync(stale, lines.join('\n'))
    const result = checkRulesDoc(rules, stale)
    expect(result.upToDate).toBe(false)
    expect(result.firstDifference).toBe(10)
    expect(result.message).toContain('run npm run docs')
    expect(checkRulesDoc(rules, join(dir, 'absent.md')).message).toContain('does not exist; run npm run docs')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})
