import {writeFile} from 'node:fs/promises'
import {text} from 'node:stream/consumers'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {DEFAULT_FORMAT, FORMAT_NAMES, type FormatName, formatters} from '../formatters/index.js'
import {ConfigError} from '../lint/config.js'
import {docsUrl, loadRules, RuleLoadError} from '../lint/rule.js'
import {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, lint, UsageError} from '../lint/run.js'
import type {FormatContext, LintResult} from '../lint/types.js'
import {parseQuantity} from '../model/quantity.js'

export default class Lint extends BaseCommand {
  static override args = {
    paths: Args.string({description: 'Files or directories (walked for .yaml, .yml, .toml); - reads stdin.', required: false}),
  }

  static override description = `Detects Helm values (also nested under an umbrella key, in Flux HelmRelease, Argo CD Application, helmfile and kustomize wrappers), runner config.toml and ConfigMaps by content, and checks them against the rules in rules/.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, 2 could not run or a file could not be read.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/',
    '<%= config.bin %> <%= command.id %> values.yaml --chart-version 0.80.1 --capacity-cpu 64 --capacity-memory 256Gi',
    '<%= config.bin %> <%= command.id %> . --format codeclimate --output-file gl-code-quality-report.json --format stylish',
    'helm template gitlab-runner gitlab/gitlab-runner -f values.yaml | <%= config.bin %> <%= command.id %> -',
  ]

  static override flags = {
    'capacity-cpu': Flags.string({description: 'CPU the cluster can give to job pods (a quantity: 64, 96000m).'}),
    'capacity-memory': Flags.string({description: 'Memory the cluster can give to job pods (a quantity: 256Gi).'}),
    'chart-version': Flags.string({description: 'gitlab/gitlab-runner chart version the values are for (default: the newest known).'}),
    config: Flags.string({description: 'Path to .runner-doctor.yaml (default: found upward from each input).'}),
    'fail-on': Flags.option({default: 'error', description: 'Lowest severity that makes the exit code 1.', options: ['error', 'warning', 'info'] as const})(),
    format: Flags.option({char: 'f', description: 'Output format; repeat to write several, paired in order with --output-file.', multiple: true, options: FORMAT_NAMES})(),
    'inline-config': Flags.boolean({allowNo: true, default: true, description: 'Honour # runner-doctor-disable-next-line comments.'}),
    'max-file-size': Flags.string({default: String(DEFAULT_MAX_FILE_BYTES), description: 'Largest file to read, in bytes (quantities such as 8Mi work).'}),
    'max-files': Flags.integer({default: DEFAULT_MAX_FILES, description: 'Most files one run reads.', min: 1}),
    'output-file': Flags.string({char: 'o', description: 'File for the format in the same position; formats without one go to stdout.', multiple: true}),
    'runner-version': Flags.string({description: 'GitLab Runner version (default: from the chart version or image.tag).'}),
    'services-per-job': Flags.integer({description: 'Service containers a typical job starts, for capacity math (default 1).', min: 0}),
  }

  static override strict = false

  static override summary = 'Check gitlab-runner Helm values and config.toml before merge.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Lint)
    this.verbose = flags.verbose
    const paths = (argv as string[]).length > 0 ? (argv as string[]) : ['.']
    const formats: FormatName[] = flags.format && flags.format.length > 0 ? flags.format : [DEFAULT_FORMAT]
    const outputs = flags['output-file'] ?? []
    if (outputs.length > formats.length) this.fail(`${outputs.length} --output-file values but only ${formats.length} --format; pair each file with a format.`, 'RD_USAGE')
    const quantity = (name: string, raw: string | undefined) => {
      if (raw === undefined) return undefined
      const value = parseQuantity(raw)
      if (value === undefined || value < 0) this.fail(`--${name} "${raw}" is not a Kubernetes quantity such as 64, 500m or 256Gi.`, 'RD_USAGE')
      return value
    }
    let result: LintResult
    let rules
    try {
      rules = await loadRules()
      result = await lint({
        paths,
        cwd: process.cwd(),
        failOn: flags['fail-on'],
        chartVersion: flags['chart-version'],
        runnerVersion: flags['runner-version'],
        configPath: flags.config,
        capacityCpu: quantity('capacity-cpu', flags['capacity-cpu']),
        capacityMemory: quantity('capacity-memory', flags['capacity-memory']),
        servicesPerJob: flags['services-per-job'],
        inlineConfig: flags['inline-config'],
        maxFileBytes: quantity('max-file-size', flags['max-file-size']) ?? DEFAULT_MAX_FILE_BYTES,
        maxFiles: flags['max-files'],
        readStdin: () => text(process.stdin),
        rules,
      })
    } catch (error) {
      if (error instanceof ConfigError) this.fail(`${error.file}:${error.line}:${error.column}: ${error.message}`, 'RD_CONFIG_INVALID')
      if (error instanceof RuleLoadError || error instanceof UsageError) this.fail(error.message, 'RD_USAGE')
      throw error
    }
    const ctx: FormatContext = {
      cwd: process.cwd(),
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      verbose: flags.verbose,
      toolVersion: this.config.version,
      rules: rules.map((r) => ({id: r.id, title: r.title, severity: r.severity, category: r.category, rationale: r.rationale, remediation: r.remediation, docsUrl: docsUrl(r.id)})),
    }
    let wroteStylishToStdout = false
    for (const [i, format] of formats.entries()) {
      const file = outputs[i]
      const rendered = formatters[format](result, file ? {...ctx, color: false} : ctx)
      if (file) await writeFile(file, rendered)
      else {
        process.stdout.write(rendered)
        wroteStylishToStdout ||= format === 'stylish'
      }
    }
    if (!wroteStylishToStdout) {
      for (const f of result.files) if (f.error) process.stderr.write(`${f.path}:${f.error.line}:${f.error.column}: ${f.error.message}\n`)
    }
    process.exitCode = result.summary.exitCode
  }
}
