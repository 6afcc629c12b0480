import {dirname, relative, resolve, sep} from 'node:path'

import {analyzeInput, type AnalyzedFile} from '../inputs/detect.js'
import {redact, secretValues} from '../inputs/redact.js'
import type {LintTarget} from '../inputs/targets.js'
import {loadTomlLocator} from '../inputs/toml-source.js'
import {computeCapacity, type LintEnvironment} from '../model/capacity.js'
import {type ClusterSource, jobNamespaceOf} from '../model/cluster/facts.js'
import {KNOWN_CHART_VERSIONS, NEWEST_CHART_VERSION} from '../model/chart.js'
import {ciRunnersOf, type CiRunner, runnersOf} from '../model/runners.js'
import {EMPTY_CONFIG, findConfigUpward, loadConfig, type RunnerDoctorConfig} from './config.js'
import {type RawFinding, runFileRules, runRulesOnTarget, SchemaCache, toFinding} from './engine.js'
import {compareText, enumerateInputs, type InputEntry, UsageError} from './enumerate.js'
import {readInput} from './read.js'
import {loadRules, type Rule} from './rule.js'
import {applySuppression, ensureGlobMatcher, parseInlineDirectives} from './suppressions.js'
import {type FileResult, type LintResult, SEVERITY_RANK, type Severity} from './types.js'

export interface LintOptions {
  paths: string[]
  cwd: string
  /** Lowest severity that fails the run; `none` only reports. */
  failOn: Severity | 'none'
  chartVersion?: string
  runnerVersion?: string
  configPath?: string
  capacityCpu?: number
  capacityMemory?: number
  servicesPerJob?: number
  /** Honour `# runner-doctor-disable-next-line` comments. */
  inlineConfig: boolean
  maxFileBytes: number
  maxFiles: number
  readStdin: () => Promise<string>
  rules?: Rule[]
  /** With lint --cluster: the cluster facts the `requires: cluster` rules judge against. */
  cluster?: ClusterSource
}

export {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES} from './limits.js'
export {UsageError}

// Compiling rule schemas costs far more than checking a file, so repeated in-process runs over the same rule set share them.
const schemaCaches = new WeakMap<Rule[], SchemaCache>()

function selectRules(rules: Rule[], config: RunnerDoctorConfig, withCluster: boolean): Rule[] {
  return rules
    .filter((r) => withCluster || r.requires !== 'cluster')
    .filter((r) => config.extends === 'all' || r.recommended || config.rules[r.id] !== undefined)
    .filter((r) => config.rules[r.id] !== 'off' && !r.deprecated)
    .map((r) => {
      const severity = config.rules[r.id]
      return severity && severity !== 'off' ? {...r, severity, configuredSeverity: severity} : r
    })
}

/** One file on its way through the run: what was read and found so far, and its .gitlab-ci.yml targets for pass 2. */
interface FileRun {
  result: FileResult
  relPath: string
  config: RunnerDoctorConfig
  rules: Rule[]
  env: LintEnvironment
  analyzed?: AnalyzedFile
  raw: RawFinding[]
  ciTargets: LintTarget[]
}

/**
 * Lints the given paths in two passes. Pass 1 reads every file and checks its values and runner configs; pass 2
 * checks each .gitlab-ci.yml against the Kubernetes runners that pass 1 found in the whole run, whichever order the
 * files came in. Then each file's findings are placed, redacted, matched against suppressions and sorted.
 */
export async function lint(options: LintOptions): Promise<LintResult> {
  const allRules = options.rules ?? (await loadRules())
  const entries = enumerateInputs(options.paths, options.maxFiles)
  const chartVersionSource = options.chartVersion ? 'flag' : 'newest-known'
  const chartVersion = options.chartVersion ?? NEWEST_CHART_VERSION
  if (options.chartVersion && !/^v?\d+\.\d+(\.\d+)?$/.test(options.chartVersion)) {
    throw new UsageError(
      `--chart-version "${options.chartVersion}" is not a version such as 0.80.1 (known: ${KNOWN_CHART_VERSIONS[0]} ` +
        `to ${NEWEST_CHART_VERSION}).`,
    )
  }
  let schemas = schemaCaches.get(allRules)
  if (!schemas) {
    schemas = new SchemaCache()
    schemaCaches.set(allRules, schemas)
  }
  const configFor = configLoader(options)
  // Files under the same .runner-doctor.yaml share its selection of rules, made once.
  const selections = new Map<RunnerDoctorConfig, Rule[]>()
  const rulesFor = (config: RunnerDoctorConfig): Rule[] => {
    let rules = selections.get(config)
    if (!rules) {
      rules = selectRules(allRules, config, Boolean(options.cluster))
      selections.set(config, rules)
    }
    return rules
  }
  const runnersForCi: CiRunner[] = []
  const runs: FileRun[] = []
  for (const entry of entries) {
    const run = await checkFile(entry, options, chartVersion, configFor, rulesFor, schemas, runnersForCi)
    // A walked directory holds Terraform for much else than the runner: only gitlab-runner releases are reported.
    if (entry.walked && run.analyzed?.quietInWalk) continue
    runs.push(run)
  }
  noteReleaseValueFiles(runs)
  for (const run of runs) {
    if (run.ciTargets.length === 0) continue
    for (const target of run.ciTargets) if (target.type === 'gitlab-ci') target.runners = runnersForCi
    await runContained(run, run.ciTargets, schemas, () => {})
  }
  const failingRules = new Set<string>()
  for (const run of runs) finishFile(run, options.inlineConfig, failingRules)
  const rulesRun = Math.max(0, ...runs.filter((r) => r.analyzed && r.analyzed.targets.length > 0).map((r) => r.rules.length))
  return summarize(
    runs.map((r) => r.result),
    {rulesRun, failingRules: failingRules.size, chartVersion, chartVersionSource, failOn: options.failOn},
  )
}

/** `.runner-doctor.yaml` for a path: the one named by --config, else the nearest upward, each loaded once. */
function configLoader(options: LintOptions): (path: string) => Promise<RunnerDoctorConfig> {
  const cache = new Map<string, Promise<RunnerDoctorConfig>>()
  const foundIn = new Map<string, string | undefined>()
  return (path) => {
    const found = options.configPath ?? findConfigUpward(path === '-' ? options.cwd : dirname(resolve(path)), foundIn)
    if (!found) return Promise.resolve(EMPTY_CONFIG)
    let config = cache.get(found)
    if (!config) {
      config = loadConfig(found)
      cache.set(found, config)
    }
    return config
  }
}

/** Pass 1 for one file: read, analyze, run the file rules and every rule on its values and runner configs. */
async function checkFile(
  entry: InputEntry,
  options: LintOptions,
  chartVersion: string,
  configFor: (path: string) => Promise<RunnerDoctorConfig>,
  rulesFor: (config: RunnerDoctorConfig) => Rule[],
  schemas: SchemaCache,
  runnersForCi: CiRunner[],
): Promise<FileRun> {
  const relPath = entry.path === '-' ? 'stdin' : relative(options.cwd, resolve(entry.path)).split(sep).join('/')
  const config = entry.missing ? EMPTY_CONFIG : await configFor(entry.path)
  const rules = rulesFor(config)
  const env: LintEnvironment = {
    capacityCpu: options.capacityCpu ?? config.capacity.cpu,
    capacityMemory: options.capacityMemory ?? config.capacity.memory,
    servicesPerJob: options.servicesPerJob ?? config.capacity.servicesPerJob ?? 1,
    chartVersionStated: Boolean(options.chartVersion ?? config.chartVersion),
  }
  const run: FileRun = {result: {path: entry.path, kind: 'skipped', findings: []}, relPath, config, rules, env, raw: [], ciTargets: []}
  ensureGlobMatcher(config)
  const read = await readInput(entry, options.maxFileBytes, options.readStdin)
  if ('error' in read) {
    run.result.error = read.error
    return run
  }
  const analyzed = await analyzeInput(read.text, {
    chartVersion: options.chartVersion ?? config.chartVersion ?? chartVersion,
    chartVersionFromFlag: Boolean(options.chartVersion),
    runnerVersion: options.runnerVersion ?? config.runnerVersion,
  })
  run.analyzed = analyzed
  const result = run.result
  result.kind = analyzed.kind
  // A skip reason may quote the file (a kind, a name): token-shaped text in it is hidden like in findings.
  if (analyzed.skipped) result.skipped = redact(analyzed.skipped, [])
  if (analyzed.error) result.error = analyzed.error
  if (analyzed.targets.length > 0 || analyzed.kind !== 'skipped') run.raw.push(...runFileRules(analyzed, rules))
  if (analyzed.targets.some((t) => t.type === 'config-toml')) await loadTomlLocator()
  if (options.cluster) env.cluster = await clusterFactsFor(options.cluster, analyzed.targets)
  await runContained(
    run,
    analyzed.targets.filter((t) => t.type !== 'gitlab-ci'),
    schemas,
    (target) => {
      if (target.type === 'values') {
        result.chartVersion = target.chartVersion
        result.runnerVersion = target.runnerVersion
        if (target.completedBy) result.completedBy = target.completedBy
      } else if (target.type === 'config-toml') {
        result.runnerVersion ??= target.runnerVersion
        result.capacity ??= computeCapacity(target, env)
        runnersForCi.push(...ciRunnersOf(target, relPath))
      }
    },
  )
  run.ciTargets = analyzed.targets.filter((t) => t.type === 'gitlab-ci')
  return run
}

/** The cluster facts for the job namespaces of a file's Kubernetes runners; none when it has no such runner. */
async function clusterFactsFor(cluster: ClusterSource, targets: LintTarget[]): Promise<LintEnvironment['cluster']> {
  const runners = targets.flatMap((t) => (t.type === 'config-toml' ? runnersOf(t) : [])).filter((r) => r.executor === 'kubernetes')
  if (runners.length === 0) return undefined
  return cluster.facts(runners.map((r) => jobNamespaceOf(r.kubernetes, cluster.runnerNamespace)))
}

/** A values file a Terraform release reads (templatefile, file) names the release, as values other files complete do. */
function noteReleaseValueFiles(runs: FileRun[]): void {
  const readBy = new Map<string, string>()
  for (const run of runs) {
    for (const reference of run.analyzed?.references ?? [])
      readBy.set(resolve(dirname(resolve(run.result.path)), reference.path), `${reference.usedBy} in ${run.relPath}`)
  }
  if (readBy.size === 0) return
  for (const run of runs) {
    const release = run.result.path === '-' ? undefined : readBy.get(resolve(run.result.path))
    if (release) run.result.completedBy ??= release
  }
}

/** A rule that breaks on an odd value is a bug to report, but it must not stop the other files from being checked. */
async function runContained(
  run: FileRun,
  targets: LintTarget[],
  schemas: SchemaCache,
  onTarget: (target: LintTarget) => void,
): Promise<void> {
  try {
    for (const target of targets) {
      run.raw.push(...(await runRulesOnTarget(target, run.rules, run.env, schemas)))
      onTarget(target)
    }
  } catch (error) {
    const detail = redact(String((error as Error).message ?? error).split('\n')[0], secretValues(run.analyzed?.targets ?? []))
    run.result.error = {message: `Internal error while checking this file (${detail}); please report it.`, line: 1, column: 1}
  }
}

/** Places each finding in the file, hides secrets, drops repeats, applies suppressions and sorts by position. */
function finishFile(run: FileRun, inlineConfig: boolean, failingRules: Set<string>): void {
  if (!run.analyzed) return
  const directives = inlineConfig ? parseInlineDirectives(run.analyzed.lines).filter((d) => d.reason !== '') : []
  const secrets = secretValues(run.analyzed.targets)
  const seen = new Set<string>()
  const findings = run.result.findings
  for (const raw of run.raw) {
    const finding = toFinding(run.result.path, run.relPath, raw)
    finding.message = redact(finding.message, secrets)
    finding.pointer = redact(finding.pointer, secrets)
    if (seen.has(finding.fingerprint)) continue
    seen.add(finding.fingerprint)
    if (applySuppression(finding, directives, run.relPath, run.config)) failingRules.add(finding.ruleId)
    findings.push(finding)
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId))
}

interface RunFacts {
  rulesRun: number
  failingRules: number
  chartVersion: string
  chartVersionSource: 'flag' | 'newest-known'
  failOn: Severity | 'none'
}

function summarize(results: FileResult[], facts: RunFacts): LintResult {
  const active = results.flatMap((f) => f.findings.filter((x) => !x.suppressed))
  const count = (s: Severity) => active.filter((f) => f.severity === s).length
  const failOn = facts.failOn
  const failing = failOn !== 'none' && active.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn])
  return {
    files: results,
    summary: {
      files: results.length,
      filesWithErrors: results.filter((f) => f.error).length,
      skipped: results.filter((f) => f.kind === 'skipped' && !f.error).length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      suppressed: results.reduce((n, f) => n + f.findings.filter((x) => x.suppressed).length, 0),
      rulesRun: facts.rulesRun,
      rulesPassed: Math.max(0, facts.rulesRun - facts.failingRules),
      chartVersion: facts.chartVersion,
      chartVersionSource: facts.chartVersionSource,
      exitCode: results.some((f) => f.error) ? 2 : failing ? 1 : 0,
    },
  }
}
