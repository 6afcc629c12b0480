import {readdirSync, statSync} from 'node:fs'
import {dirname, extname, join, relative, resolve, sep} from 'node:path'

import {analyzeText, type AnalyzedFile} from '../inputs/detect.js'
import type {CiRunner, LintTarget} from '../inputs/targets.js'
import {computeCapacity} from '../model/capacity.js'
import {KNOWN_CHART_VERSIONS, NEWEST_CHART_VERSION} from '../model/chart.js'
import {readBounded, structureProblem, tooLargeMessage} from '../inputs/limits.js'
import {redact, secretValues} from '../inputs/redact.js'
import {ciRunnersOf} from '../model/runners.js'
import {loadTomlLocator} from '../inputs/toml-source.js'
import {CONFIG_FILE_NAME, EMPTY_CONFIG, findConfigUpward, loadConfig, type RunnerDoctorConfig} from './config.js'
import {type RawFinding, runFileRules, runRulesOnTarget, SchemaCache, toFinding} from './engine.js'
import {parseInlineDirectives} from './functions/notices.js'
import type {LintEnvironment} from './functions/types.js'
import {loadRules, type Rule} from './rule.js'
import {type FileResult, type Finding, type LintResult, SEVERITY_RANK, type Severity} from './types.js'

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
}

export {DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES} from './limits.js'
const WALKED_EXTENSIONS = new Set(['.yaml', '.yml', '.toml'])
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.terraform'])

export class UsageError extends Error {}

// Compiling rule schemas costs far more than checking a file, so repeated in-process runs over the same rule set share them.
const schemaCaches = new WeakMap<Rule[], SchemaCache>()

function expandPaths(paths: string[], maxFiles: number): Array<{path: string; missing?: string}> {
  const out: Array<{path: string; missing?: string}> = []
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, {withFileTypes: true})
    entries.sort((a, b) => compareText(a.name, b.name))
    for (const entry of entries) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full)
      } else if (entry.isFile() && WALKED_EXTENSIONS.has(extname(entry.name)) && entry.name !== CONFIG_FILE_NAME) {
        out.push({path: full})
        if (out.length > maxFiles) throw new UsageError(`More than ${maxFiles} files to lint; name fewer paths or raise --max-files.`)
      }
    }
  }
  for (const p of paths) {
    if (p === '-') {
      out.push({path: '-'})
      continue
    }
    let info
    try {
      info = statSync(p)
    } catch (error) {
      out.push({path: p, missing: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory.' : `Cannot read: ${(error as Error).message}.`})
      continue
    }
    if (info.isDirectory()) walk(p)
    else out.push({path: p})
  }
  return out
}

function selectRules(rules: Rule[], config: RunnerDoctorConfig): Rule[] {
  return rules
    .filter((r) => config.extends === 'all' || r.recommended || config.rules[r.id] !== undefined)
    .filter((r) => config.rules[r.id] !== 'off' && !r.deprecated)
    .map((r) => {
      const severity = config.rules[r.id]
      return severity && severity !== 'off' ? {...r, severity} : r
    })
}

type Matcher = (path: string, glob: string, options: {dot: boolean; matchBase: boolean}) => boolean
let minimatch: Matcher | undefined

/** Glob matching is only needed for exemptions that name files, so it is loaded then. */
async function ensureGlobMatcher(config: RunnerDoctorConfig): Promise<void> {
  if (!minimatch && config.exemptions.some((e) => e.files)) minimatch = (await import('minimatch')).minimatch
}

function exemptionFor(finding: Finding, relPath: string, config: RunnerDoctorConfig) {
  return config.exemptions.find(
    (e) =>
      (!e.rules || e.rules.includes(finding.ruleId)) &&
      (!e.files || e.files.some((g) => minimatch!(relPath, g, {dot: true, matchBase: !g.includes('/')}))) &&
      (!e.pointers || e.pointers.some((p) => finding.pointer === p || finding.pointer.startsWith(p.endsWith('/') ? p : `${p}/`))),
  )
}

/** Code-unit order: the same on every machine, and localeCompare's first call loads ICU collation (~8 ms). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isTextual(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 8192)
  return !sample.includes(0)
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const allRules = options.rules ?? (await loadRules())
  const files = expandPaths(options.paths, options.maxFiles)
  const configCache = new Map<string, Promise<RunnerDoctorConfig>>()
  const configFor = (path: string): Promise<RunnerDoctorConfig> => {
    const found = options.configPath ?? (path === '-' ? findConfigUpward(options.cwd) : findConfigUpward(dirname(resolve(path))))
    if (!found) return Promise.resolve(EMPTY_CONFIG)
    let c = configCache.get(found)
    if (!c) {
      c = loadConfig(found)
      configCache.set(found, c)
    }
    return c
  }
  const chartVersionSource = options.chartVersion ? 'flag' : 'newest-known'
  const chartVersion = options.chartVersion ?? NEWEST_CHART_VERSION
  if (options.chartVersion && !/^v?\d+\.\d+(\.\d+)?$/.test(options.chartVersion)) {
    throw new UsageError(`--chart-version "${options.chartVersion}" is not a version such as 0.80.1 (known: ${KNOWN_CHART_VERSIONS[0]} to ${NEWEST_CHART_VERSION}).`)
  }
  let schemas = schemaCaches.get(allRules)
  if (!schemas) {
    schemas = new SchemaCache()
    schemaCaches.set(allRules, schemas)
  }
  const results: FileResult[] = []
  let rulesRun = 0
  const failingRules = new Set<string>()
  const runnersForCi: CiRunner[] = []
  const ciChecks: Array<() => Promise<void>> = []

  for (const entry of files) {
    const display = entry.path
    const relPath = entry.path === '-' ? 'stdin' : relative(options.cwd, resolve(entry.path)).split(sep).join('/')
    if (entry.missing) {
      results.push({path: display, kind: 'skipped', findings: [], error: {message: entry.missing, line: 1, column: 1}})
      continue
    }
    const config = await configFor(entry.path)
    await ensureGlobMatcher(config)
    let text: string
    try {
      const stdin = entry.path === '-' ? Buffer.from(await options.readStdin()) : undefined
      // stdin is read only to the limit + 1 byte (lint/cli.ts), so its full size is unknown.
      const {buffer, size, tooLarge} = stdin ? {buffer: stdin, size: stdin.length, tooLarge: stdin.length > options.maxFileBytes} : readBounded(entry.path, options.maxFileBytes)
      if (tooLarge) {
        results.push({path: display, kind: 'skipped', findings: [], error: {message: tooLargeMessage(stdin ? undefined : size, options.maxFileBytes), line: 1, column: 1}})
        continue
      }
      if (!isTextual(buffer)) {
        results.push({path: display, kind: 'skipped', findings: [], error: {message: 'Binary file: not YAML or TOML.', line: 1, column: 1}})
        continue
      }
      text = buffer.toString('utf8')
      const problem = structureProblem(text, options.maxFileBytes)
      if (problem) {
        results.push({path: display, kind: 'skipped', findings: [], error: {message: problem, line: 1, column: 1}})
        continue
      }
    } catch (error) {
      results.push({path: display, kind: 'skipped', findings: [], error: {message: `Cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, line: 1, column: 1}})
      continue
    }
    const analyzed: AnalyzedFile = analyzeText(text, {
      chartVersion: options.chartVersion ?? config.chartVersion ?? chartVersion,
      chartVersionFromFlag: Boolean(options.chartVersion),
      runnerVersion: options.runnerVersion ?? config.runnerVersion,
    })
    const result: FileResult = {path: display, kind: analyzed.kind, findings: []}
    if (analyzed.skipped) result.skipped = analyzed.skipped
    if (analyzed.error) result.error = analyzed.error
    const rules = selectRules(allRules, config)
    const env: LintEnvironment = {
      capacityCpu: options.capacityCpu ?? config.capacity.cpu,
      capacityMemory: options.capacityMemory ?? config.capacity.memory,
      servicesPerJob: options.servicesPerJob ?? config.capacity.servicesPerJob ?? 1,
    }
    const raw: RawFinding[] = []
    if (analyzed.targets.length > 0 || analyzed.kind !== 'skipped') raw.push(...runFileRules(analyzed, rules))
    if (analyzed.targets.some((t) => t.type === 'config-toml')) await loadTomlLocator()
    // A rule that breaks on an odd value is a bug to report, but it must not stop the other files from being checked.
    const runContained = async (targets: LintTarget[], onTarget: (target: LintTarget) => void) => {
      try {
        for (const target of targets) {
          raw.push(...(await runRulesOnTarget(target, rules, env, schemas)))
          onTarget(target)
        }
      } catch (error) {
        const detail = redact(String((error as Error).message ?? error).split('\n')[0], secretValues(analyzed.targets))
        result.error = {message: `Internal error while checking this file (${detail}); please report it.`, line: 1, column: 1}
      }
    }
    await runContained(
      analyzed.targets.filter((t) => t.type !== 'gitlab-ci'),
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
    if (analyzed.targets.length > 0) rulesRun = Math.max(rulesRun, rules.length)
    const finish = () => {
      const directives = options.inlineConfig ? parseInlineDirectives(analyzed.lines).filter((d) => d.reason !== '') : []
      const secrets = secretValues(analyzed.targets)
      const seen = new Set<string>()
      for (const r of raw) {
        const finding = toFinding(display, relPath, r)
        finding.message = redact(finding.message, secrets)
        finding.pointer = redact(finding.pointer, secrets)
        if (seen.has(finding.fingerprint)) continue
        seen.add(finding.fingerprint)
        const directive = directives.find((d) => d.line === finding.line && (d.ruleIds.length === 0 || d.ruleIds.includes(finding.ruleId)))
        const exemption = exemptionFor(finding, relPath, config)
        if (directive) finding.suppressed = {by: 'inline', reason: directive.reason}
        else if (exemption) finding.suppressed = {by: 'config', reason: exemption.reason}
        else failingRules.add(finding.ruleId)
        result.findings.push(finding)
      }
      result.findings.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.ruleId, b.ruleId))
    }
    results.push(result)
    const ciTargets = analyzed.targets.filter((t) => t.type === 'gitlab-ci')
    if (ciTargets.length === 0) finish()
    else {
      // Jobs are checked against the runner configs of the whole run, so after every file has been read.
      ciChecks.push(async () => {
        for (const target of ciTargets) target.runners = runnersForCi
        await runContained(ciTargets, () => {})
        finish()
      })
    }
  }
  for (const check of ciChecks) await check()
  const active = results.flatMap((f) => f.findings.filter((x) => !x.suppressed))
  const count = (s: Severity) => active.filter((f) => f.severity === s).length
  const hasFileError = results.some((f) => f.error)
  const failOn = options.failOn
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
      rulesRun,
      rulesPassed: Math.max(0, rulesRun - failingRules.size),
      chartVersion,
      chartVersionSource,
      exitCode: hasFileError ? 2 : failing ? 1 : 0,
    },
  }
}
