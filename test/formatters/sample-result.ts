import {fingerprintHash} from '../../src/util/fingerprint-hash.js'
import type {Capacity, FileResult, Finding, FormatContext, LintResult, RuleSummary, Severity, Suppression} from '../../src/lint/types.js'

/*
 * A hand-built result shaped like a real run over a GitLab Runner repository: a Helm values file with
 * embedded TOML, a standalone config.toml, a skipped README, a values file that does not parse and a
 * Flux HelmRelease given by absolute path with nothing to report.
 */

export const CWD = '/builds/platform/runners'
const DOCS = 'https://www.npmjs.com/package/runner-doctor#rule-'

interface FindingSpec {
  ruleId: string
  severity: Severity
  message: string
  pointer: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
  remediation: string
  suppressed?: Suppression
}

function fingerprintOf(relPath: string, pointer: string, ruleId: string): string {
  return fingerprintHash(`${relPath}\u0000${pointer}\u0000${ruleId}`)
}

export function finding(file: string, relPath: string, spec: FindingSpec): Finding {
  const result: Finding = {
    ruleId: spec.ruleId,
    severity: spec.severity,
    message: spec.message,
    file,
    pointer: spec.pointer,
    line: spec.line,
    column: spec.column,
    endLine: spec.endLine ?? spec.line,
    endColumn: spec.endColumn ?? spec.column + 10,
    remediation: spec.remediation,
    docsUrl: `${DOCS}${spec.ruleId}`,
    fingerprint: fingerprintOf(relPath, spec.pointer, spec.ruleId),
  }
  if (spec.suppressed) result.suppressed = spec.suppressed
  return result
}

const GiB = 1024 ** 3

export const valuesCapacity: Capacity = {
  maxConcurrentJobs: 20,
  managerReplicas: 2,
  replicasSource: 'replicas',
  concurrent: 10,
  runnerLimitSum: null,
  perJobRequests: {cpuMillicores: 1500, memoryBytes: 2 * GiB},
  perJobLimits: {cpuMillicores: 2000, memoryBytes: null},
  totalRequests: {cpuMillicores: 30000, memoryBytes: 40 * GiB},
}

export const tomlCapacity: Capacity = {
  maxConcurrentJobs: 4,
  managerReplicas: 1,
  replicasSource: 'config.toml',
  concurrent: 4,
  runnerLimitSum: 6,
  perJobRequests: {cpuMillicores: 500, memoryBytes: 768 * 1024 ** 2},
  perJobLimits: {cpuMillicores: null, memoryBytes: null},
  totalRequests: {cpuMillicores: 2000, memoryBytes: 3 * GiB},
  clusterCapacity: {cpuMillicores: 16000, memoryBytes: 64 * GiB},
}

const VALUES = 'charts/gitlab-runner/values.yaml'
const TOML = './config.toml'
const HELMRELEASE = `${CWD}/deploy/helmrelease.yaml`

export const valuesFile: FileResult = {
  path: VALUES,
  kind: 'helm-values',
  chartVersion: '0.71.0',
  runnerVersion: '17.6.0',
  capacity: valuesCapacity,
  findings: [
    finding(VALUES, VALUES, {
      ruleId: 'toml-privileged',
      severity: 'error',
      message: 'Jobs run privileged: any job can take over the node it runs on.',
      pointer: '/runners/config/runners/kubernetes/privileged',
      line: 24,
      column: 9,
      remediation: 'Set privileged = false and build images with a rootless builder.',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'values-runner-token-plain',
      severity: 'error',
      message: 'runnerToken is stored in plain text in the values file; the value is not shown.',
      pointer: '/runnerToken',
      line: 3,
      column: 1,
      remediation: 'Move the token into a Secret and reference it with runners.secret.',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'toml-helper-requests-missing',
      severity: 'warning',
      message: 'The helper container has no CPU request.',
      pointer: '/runners/config/runners/kubernetes',
      line: 20,
      column: 5,
      remediation: 'Set helper_cpu_request under [runners.kubernetes].',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'toml-helper-requests-missing',
      severity: 'warning',
      message: 'The helper container has no memory request.',
      pointer: '/runners/config/runners/kubernetes',
      line: 20,
      column: 5,
      remediation: 'Set helper_memory_request under [runners.kubernetes].',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'toml-image-latest',
      severity: 'warning',
      message: 'The default job image "alpine:latest" uses a moving tag.',
      pointer: '/runners/config/runners/kubernetes/image',
      line: 23,
      column: 13,
      remediation: 'Pin the image to a version, for example alpine:3.20.',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'values-template-not-evaluated',
      severity: 'info',
      message: 'The template {{ include "runner.name" . }} & <its helpers> were not evaluated.',
      pointer: '/runners/config',
      line: 18,
      column: 11,
      remediation: 'Render the chart with helm template and lint the output to check templated values.',
    }),
    finding(VALUES, VALUES, {
      ruleId: 'toml-service-limits-missing',
      severity: 'warning',
      message: 'Service containers have no memory limit.',
      pointer: '/runners/config/runners/kubernetes',
      line: 20,
      column: 5,
      remediation: 'Set service_memory_limit under [runners.kubernetes].',
      suppressed: {by: 'config', reason: 'Services are sized by the namespace LimitRange.'},
    }),
  ],
}

export const tomlFile: FileResult = {
  path: TOML,
  kind: 'config-toml',
  runnerVersion: '17.6.0',
  capacity: tomlCapacity,
  findings: [
    finding(TOML, 'config.toml', {
      ruleId: 'toml-dns-policy-spelling',
      severity: 'warning',
      message: 'dns_policy "ClusterFirst" is not a runner spelling; the runner drops it with a warning.',
      pointer: '/runners/0/kubernetes/dns_policy',
      line: 14,
      column: 3,
      endColumn: 31,
      remediation: 'Write dns_policy = "cluster-first".',
    }),
    finding(TOML, 'config.toml', {
      ruleId: 'toml-poll-timeout-low',
      severity: 'info',
      message: 'poll_timeout is 180 seconds, the default.',
      pointer: '/runners/0/kubernetes/poll_timeout',
      line: 16,
      column: 3,
      remediation: 'Remove poll_timeout or raise it for slow image pulls.',
      suppressed: {by: 'inline', reason: 'Kept explicit for the platform team.'},
    }),
  ],
}

export const skippedFile: FileResult = {
  path: 'deploy/README.md',
  kind: 'skipped',
  skipped: 'not a runner configuration file',
  findings: [],
}

export const brokenFile: FileResult = {
  path: 'deploy/broken-values.yaml',
  kind: 'helm-values',
  error: {message: 'Unexpected end of flow mapping.', line: 14, column: 3},
  findings: [],
}

export const cleanFile: FileResult = {
  path: HELMRELEASE,
  kind: 'flux-helmrelease',
  chartVersion: '0.86.0',
  findings: [],
}

export function resultOf(files: FileResult[], overrides: Partial<LintResult['summary']> = {}): LintResult {
  const visible = files.flatMap((file) => file.findings).filter((entry) => !entry.suppressed)
  const count = (severity: Severity) => visible.filter((entry) => entry.severity === severity).length
  const errors = count('error')
  const hasFileError = files.some((file) => file.error)
  return {
    files,
    summary: {
      files: files.length,
      filesWithErrors: files.filter((file) => file.error).length,
      skipped: files.filter((file) => file.kind === 'skipped').length,
      errors,
      warnings: count('warning'),
      infos: count('info'),
      suppressed: files.flatMap((file) => file.findings).filter((entry) => entry.suppressed).length,
      rulesRun: 12,
      rulesPassed: 12 - new Set(visible.map((entry) => entry.ruleId)).size,
      chartVersion: '0.86.0',
      chartVersionSource: 'newest-known',
      exitCode: hasFileError ? 2 : errors > 0 ? 1 : 0,
      ...overrides,
    },
  }
}

export const sampleResult: LintResult = resultOf([valuesFile, tomlFile, skippedFile, brokenFile, cleanFile])

function rule(id: string, severity: Severity, category: string, title: string): RuleSummary {
  return {
    id,
    title,
    severity,
    category,
    rationale: `Why ${id} matters: ${title.toLowerCase()}`,
    remediation: `Fix ${id}.`,
    docsUrl: `${DOCS}${id}`,
  }
}

/** The catalog deliberately lacks `toml-poll-timeout-low`, as when a result outlives a rule. */
export const sampleRules: RuleSummary[] = [
  rule('toml-privileged', 'error', 'security', 'Jobs run privileged'),
  rule('values-runner-token-plain', 'error', 'security', 'Runner token in plain text'),
  rule('toml-helper-requests-missing', 'warning', 'resources and capacity', 'Helper requests missing'),
  rule('toml-service-limits-missing', 'warning', 'resources and capacity', 'Service limits missing'),
  rule('toml-image-latest', 'warning', 'images and versions', 'Moving image tag'),
  rule('values-template-not-evaluated', 'info', 'config structure', 'Template not evaluated'),
  rule('toml-dns-policy-spelling', 'warning', 'dns and networking', 'Wrong dns_policy spelling'),
]

export function contextOf(overrides: Partial<FormatContext> = {}): FormatContext {
  return {cwd: CWD, color: false, verbose: false, toolVersion: '0.1.0', rules: sampleRules, ...overrides}
}
