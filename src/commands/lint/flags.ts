import {parseArgs} from 'node:util'

import {FORMAT_NAMES} from '../../formatters/index.js'
import {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES} from '../../lint/limits.js'

/** One flag of `runner-doctor lint`, described once for both the oclif command and the fast start-up path. */
export interface FlagSpec {
  name: string
  char?: string
  kind: 'string' | 'integer' | 'boolean' | 'option'
  multiple?: boolean
  options?: readonly string[]
  default?: string | number | boolean
  allowNo?: boolean
  min?: number
  description: string
}

export const LINT_FLAGS: FlagSpec[] = [
  {
    name: 'allow-empty',
    kind: 'boolean',
    default: false,
    description: 'Pass when no runner configuration is found in the paths (by default that is exit code 2).',
  },
  {name: 'capacity-cpu', kind: 'string', description: 'CPU the cluster can give to job pods (a quantity: 64, 96000m).'},
  {name: 'capacity-memory', kind: 'string', description: 'Memory the cluster can give to job pods (a quantity: 256Gi).'},
  {
    name: 'chart-version',
    kind: 'string',
    description: 'gitlab/gitlab-runner chart version the values are for (default: the newest known).',
  },
  {
    name: 'cluster',
    kind: 'boolean',
    default: false,
    description:
      'Also judge the runner config against the cluster it runs in (read-only: nodes, quota, LimitRange, ' +
      'Pod Security, RBAC, the deployed runner).',
  },
  {name: 'context', kind: 'string', description: 'With --cluster: the kubeconfig context to use.'},
  {
    name: 'color',
    kind: 'boolean',
    allowNo: true,
    description: 'Colour the report, or not (default: FORCE_COLOR, NO_COLOR, a GitLab job or a terminal decide).',
  },
  {name: 'config', kind: 'string', description: 'Path to .runner-doctor.yaml (default: found upward from each input).'},
  {
    name: 'fail-on',
    kind: 'option',
    options: ['error', 'warning', 'info', 'none'],
    default: 'error',
    description: 'Lowest severity that makes the exit code 1; none reports without failing.',
  },
  {
    name: 'format',
    char: 'f',
    kind: 'option',
    multiple: true,
    options: FORMAT_NAMES,
    description: 'Output format; repeat to write several, paired in order with --output-file.',
  },
  {name: 'inline-config', kind: 'boolean', allowNo: true, default: true, description: 'Honour # runner-doctor-disable-next-line comments.'},
  {
    name: 'kubeconfig',
    kind: 'string',
    description: 'With --cluster: the kubeconfig file (default $KUBECONFIG, ~/.kube/config, or the in-cluster service account).',
  },
  {name: 'max-warnings', kind: 'integer', min: 0, description: 'Exit code 1 when there are more warnings than this, even below --fail-on.'},
  {
    name: 'max-file-size',
    kind: 'string',
    default: String(DEFAULT_MAX_FILE_BYTES),
    description: 'Largest file to read, in bytes (quantities such as 8Mi work).',
  },
  {name: 'max-files', kind: 'integer', default: DEFAULT_MAX_FILES, min: 1, description: 'Most files one run reads.'},
  {name: 'namespace', char: 'n', kind: 'string', description: "With --cluster: the runner's namespace (default the context's namespace)."},
  {
    name: 'output-file',
    char: 'o',
    kind: 'string',
    multiple: true,
    description: 'File for the format in the same position; formats without one go to stdout.',
  },
  {
    name: 'quiet',
    kind: 'boolean',
    default: false,
    description: 'Report errors only: warnings and infos are left out of every format and the exit code.',
  },
  {name: 'runner-version', kind: 'string', description: 'GitLab Runner version (default: from the chart version or image.tag).'},
  {
    name: 'services-per-job',
    kind: 'integer',
    min: 0,
    description: 'Service containers a typical job starts, for capacity math (default 1).',
  },
  {name: 'verbose', kind: 'boolean', default: false, description: 'Print suppressed findings, progress details and stack traces.'},
]

export interface LintFlags {
  'allow-empty': boolean
  color?: boolean
  cluster: boolean
  context?: string
  kubeconfig?: string
  namespace?: string
  'capacity-cpu'?: string
  'capacity-memory'?: string
  'chart-version'?: string
  config?: string
  'fail-on': 'error' | 'warning' | 'info' | 'none'
  format?: Array<(typeof FORMAT_NAMES)[number]>
  'inline-config': boolean
  'max-file-size': string
  'max-files': number
  'max-warnings'?: number
  quiet: boolean
  'output-file'?: string[]
  'runner-version'?: string
  'services-per-job'?: number
  verbose: boolean
}

/**
 * Parses lint's argv without loading oclif (start-up time matters: lint runs on every merge request).
 * Returns undefined for anything unusual (help, unknown or malformed flags) so oclif handles it with its messages.
 */
export async function parseLintArgvFast(argv: string[]): Promise<{flags: LintFlags; paths: string[]} | undefined> {
  const options: Record<string, {type: 'string' | 'boolean'; short?: string; multiple?: boolean}> = {}
  for (const spec of LINT_FLAGS) {
    options[spec.name] = {
      type: spec.kind === 'boolean' ? 'boolean' : 'string',
      ...(spec.char ? {short: spec.char} : {}),
      ...(spec.multiple ? {multiple: true} : {}),
    }
    if (spec.allowNo) options[`no-${spec.name}`] = {type: 'boolean'}
  }
  let parsed
  try {
    parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true})
  } catch {
    return undefined
  }
  const flags: Record<string, unknown> = {}
  for (const spec of LINT_FLAGS) {
    let value: unknown = parsed.values[spec.name]
    if (spec.allowNo && parsed.values[`no-${spec.name}`]) value = false
    if (value === undefined) value = spec.default
    if (value === undefined) continue
    if (spec.kind === 'option') {
      const list = Array.isArray(value) ? value : [value]
      if (!list.every((v) => spec.options!.includes(String(v)))) return undefined
    }
    if (spec.kind === 'integer') {
      if (!/^-?\d+$/.test(String(value))) return undefined
      value = Number(value)
      if (spec.min !== undefined && (value as number) < spec.min) return undefined
    }
    flags[spec.name] = value
  }
  return {flags: flags as unknown as LintFlags, paths: parsed.positionals}
}
