import {Args} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {closestRuleId, explainRule, renderExplanation, type RuleExplanation} from '../docs/catalog.js'
import {loadRules, RuleLoadError} from '../lint/rule.js'

export default class Explain extends BaseCommand {
  static override args = {
    id: Args.string({description: 'Rule id, as printed by lint and by runner-doctor rules.', required: true}),
  }

  static override description =
    `Prints the rule's severity, why it matters, how to fix it, references, and a bad and a good ` +
    `example taken from the fixtures the rule is tested with.`

  static override enableJsonFlag = true

  static override examples = [
    '<%= config.bin %> <%= command.id %> toml-privileged',
    '<%= config.bin %> <%= command.id %> values-plain-runner-token --json',
  ]

  static override summary = 'Explain one rule, with a bad and a good example.'

  async run(): Promise<RuleExplanation> {
    const {args, flags} = await this.parse(Explain)
    this.verbose = flags.verbose
    const rules = await loadRules().catch((error: unknown) => {
      if (error instanceof RuleLoadError) this.fail(error.message, 'RD_RULE_INVALID')
      throw error
    })
    const rule = rules.find((r) => r.id === args.id)
    if (!rule) {
      const suggestion = closestRuleId(
        args.id,
        rules.map((r) => r.id),
      )
      this.fail(
        `Unknown rule "${args.id}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Run runner-doctor rules to list them all.`,
        'RD_UNKNOWN_RULE',
      )
    }
    const explanation = await explainRule(rule)
    if (!this.jsonEnabled()) process.stdout.write(renderExplanation(explanation))
    return explanation
  }
}
