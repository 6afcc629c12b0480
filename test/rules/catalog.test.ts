import {closestRuleId, filterRules} from '../../src/docs/catalog.js'
import {editDistance} from '../../src/model/suggest.js'
import {loadRules} from '../../src/lint/rule.js'

const IDS = ['toml-privileged', 'toml-container-privileged', 'values-legacy-privileged', 'toml-image-unpinned']

test('edit distance counts insertions, deletions and substitutions', () => {
  expect(editDistance('toml-privilegd', 'toml-privileged')).toBe(1)
  expect(editDistance('kitten', 'sitting')).toBe(3)
  expect(editDistance('', 'abc')).toBe(3)
})

test('explain suggests the id that was meant, and nothing for an id far from every rule', () => {
  expect(closestRuleId('toml-privilegd', IDS)).toBe('toml-privileged')
  expect(closestRuleId('privileged', IDS)).toBe('toml-privileged')
  expect(closestRuleId('toml-image-unpined', IDS)).toBe('toml-image-unpinned')
  expect(closestRuleId('nope', IDS)).toBeUndefined()
  expect(closestRuleId('toml-privileged', [])).toBeUndefined()
})

test('filters combine and keep the order by id', async () => {
  const rules = await loadRules()
  const filtered = filterRules([...rules].reverse(), {category: 'security', target: 'config-toml'})
  expect(filtered.length).toBeGreaterThan(0)
  expect(filtered.every((r) => r.category === 'security' && r.target === 'config-toml')).toBe(true)
  expect(filtered.map((r) => r.id)).toEqual(filtered.map((r) => r.id).sort())
})

test('explain shows what a code rule prints, from its module, and a schema rule its one message', async () => {
  const {explainRule, renderExplanation} = await import('../../src/docs/catalog.js')
  const {loadRules} = await import('../../src/lint/rule.js')
  const rules = await loadRules()
  const code = await explainRule(rules.find((r) => r.id === 'toml-image-unpinned')!)
  expect(code.messages).toEqual([
    'Image "{{image}}" has no tag, so it means {{image}}:latest and changes with every push upstream.',
    'Image "{{image}}" is tagged latest and changes with every push upstream.',
  ])
  expect(renderExplanation(code)).toContain('Messages\n  - Image "{{image}}" has no tag')
  const schemaRule = rules.find((r) => 'schema' in r.check)!
  expect((await explainRule(schemaRule)).messages).toEqual([schemaRule.message])
})

test('rule docs links live at the package homepage', async () => {
  const {docsUrl, PROJECT_HOME} = await import('../../src/lint/rule.js')
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {homepage: string}
  expect(PROJECT_HOME).toBe(pkg.homepage)
  expect(docsUrl('toml-privileged')).toBe(`${pkg.homepage}/-/blob/main/docs/rules.md#toml-privileged`)
})
