import {Args, Flags, type Interfaces} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {executeLint, LintCliError, processIo} from './lint/execute.js'
import {type FlagSpec, LINT_FLAGS, type LintFlags} from './lint/flags.js'

function toOclifFlag(spec: FlagSpec) {
  const common = {description: spec.description, ...(spec.char ? {char: spec.char as 'f'} : {})}
  switch (spec.kind) {
    case 'boolean':
      return Flags.boolean({...common, allowNo: spec.allowNo ?? false, default: spec.default as boolean | undefined})
    case 'integer':
      return Flags.integer({...common, min: spec.min, default: spec.default as number | undefined})
    case 'option':
      return spec.multiple
        ? Flags.option({...common, multiple: true, options: spec.options as string[]})()
        : Flags.option({...common, options: spec.options as string[], default: spec.default as string})()
    default:
      return spec.multiple
        ? Flags.string({...common, multiple: true})
        : Flags.string({...common, default: spec.default as string | undefined})
  }
}

export default class Lint extends BaseCommand {
  static override args = {
    paths: Args.string({
      description: 'Files or directories (walked for .yaml, .yml, .toml); - reads stdin. Default: the current directory.',
      required: false,
    }),
  }

  static override description = [
    'Detects Helm values (also nested under an umbrella key, in Flux HelmRelease, Argo CD Application, helmfile and ' +
      'kustomize wrappers), runner config.toml and ConfigMaps by content, and checks them against the rules in rules/.',
    '',
    'Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on (or more warnings than ' +
      '--max-warnings), 2 could not run, a file could not be read, or no runner configuration was found (unless --allow-empty).',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/',
    '<%= config.bin %> <%= command.id %> values.yaml --chart-version 0.80.1 --capacity-cpu 64 --capacity-memory 256Gi',
    '<%= config.bin %> <%= command.id %> . --format codeclimate --output-file gl-code-quality-report.json --format stylish',
    'helm template gitlab-runner gitlab/gitlab-runner -f values.yaml | <%= config.bin %> <%= command.id %> -',
    '<%= config.bin %> <%= command.id %> values.yaml --cluster -n gitlab-runner --verbose',
  ]

  // Built from the same spec as the fast path in bin/run.cjs, so both accept exactly the same flags.
  static override flags = Object.fromEntries(
    LINT_FLAGS.filter((s) => s.name !== 'verbose').map((s) => [s.name, toOclifFlag(s)]),
  ) as Interfaces.FlagInput<Record<string, unknown>>

  static override strict = false

  static override summary = 'Check gitlab-runner Helm values and config.toml before merge.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Lint)
    this.verbose = Boolean(flags.verbose)
    try {
      process.exitCode = await executeLint(flags as unknown as LintFlags, argv as string[], processIo())
    } catch (error) {
      if (error instanceof LintCliError) this.fail(error.message, error.code)
      throw error
    }
  }
}
