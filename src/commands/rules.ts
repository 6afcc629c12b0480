import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {filterRules, renderRulesTable, RULE_CATEGORIES, RULE_TARGETS, type RuleEntry, toEntry} from '../docs/catalog.js'
import {renderRulesMarkdown} from '../docs/rules-markdown.js'
import {loadRules, RuleLoadError} from '../lint/rule.js'

export default class Rules extends BaseCommand {
  static override description =
    `Lists every rule runner-doctor checks with its default severity. --format markdown prints ` +
    `docs/rules.md (npm run docs writes it); --format json prints one object per rule.`

  static override enableJsonFlag = true

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --category security',
    '<%= config.bin %> <%= command.id %> --target config-toml --format json',
    '<%= config.bin %> <%= command.id %> --format markdown > docs/rules.md',
  ]

  static override flags = {
    category: Flags.option({description: 'Only rules of this category.', options: RULE_CATEGORIES})(),
    format: Flags.option({char: 'f', description: 'Output format.', options: ['table', 'json', 'markdown'] as const, default: 'table'})(),
    target: Flags.option({description: 'Only rules that check this kind of input.', options: RULE_TARGETS})(),
  }

  static override summary = 'List the lint rules.'

  async run(): Promise<RuleEntry[]> {
    const {flags} = await this.parse(Rules)
    this.verbose = flags.verbose
    const all = await loadRules().catch((error: unknown) => {
      if (error instanceof RuleLoadError) this.fail(error.message, 'RD_RULE_INVALID')
      throw error
    })
    const rules = filterRules(all, {category: flags.category, target: flags.target})
    const entries = rules.map(toEntry)
    if (this.jsonEnabled()) return entries
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`)
    else if (flags.format === 'markdown') process.stdout.write(renderRulesMarkdown(rules))
    else process.stdout.write(renderRulesTable(rules))
    return entries
  }
}
