import {type LintResult, SEVERITY_RANK, type Severity} from '../../lint/types.js'

type FileKind = LintResult['files'][number]['kind']

/** Kinds that are runner configuration. */
function isRunnerConfiguration(kind: FileKind): boolean {
  return kind !== 'skipped' && kind !== 'gitlab-ci'
}

/**
 * Why a run checked nothing, or undefined when it did. A run is empty when no file is runner configuration and none
 * failed to read: a path that matches nothing must not pass as clean. A pipeline (.gitlab-ci.yml) counts only when
 * it was named on its own: every project has one, so one found in a directory walk would make every walk count.
 */
export function emptyRunMessage(result: LintResult, paths: string[]): string | undefined {
  const named = new Set(paths)
  const checked = result.files.some(
    (file) => file.error || isRunnerConfiguration(file.kind) || (file.kind === 'gitlab-ci' && named.has(file.path)),
  )
  if (checked) return undefined
  const looked = paths.map((path) => (path === '-' ? 'standard input' : path)).join(', ')
  const pipelines = result.files.filter((file) => file.kind === 'gitlab-ci').length
  const others = result.files.length - pipelines
  const found = [
    others > 0 ? `${others === 1 ? '1 file that is' : `${others} files that are`} not runner configuration` : '',
    pipelines > 0
      ? `${pipelines === 1 ? '1 GitLab CI pipeline' : `${pipelines} GitLab CI pipelines`} (name a pipeline to check it alone)`
      : '',
  ].filter(Boolean)
  const what = found.length > 0 ? found.join(' and ') : 'no .yaml, .yml, .toml or .tf file'
  return (
    `No runner configuration found in ${looked}: found ${what}. Name the Helm values or config.toml ` +
    `files, or pass --allow-empty to accept a run with nothing to check.`
  )
}

/**
 * `--quiet`: only errors are reported, as in ESLint. Warnings and infos are removed before formatting, so every
 * format and the exit code agree with what is shown.
 */
export function onlyErrors(result: LintResult, failOn: Severity | 'none'): LintResult {
  const files = result.files.map((file) => ({...file, findings: file.findings.filter((finding) => finding.severity === 'error')}))
  const active = files.flatMap((file) => file.findings.filter((finding) => !finding.suppressed))
  const failing = failOn !== 'none' && active.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn])
  const summary = result.summary
  return {
    files,
    summary: {
      ...summary,
      warnings: 0,
      infos: 0,
      suppressed: files.reduce((count, file) => count + file.findings.filter((finding) => finding.suppressed).length, 0),
      exitCode: summary.filesWithErrors > 0 ? 2 : failing ? 1 : 0,
    },
  }
}

/** `--max-warnings N`: more than N warnings fail a run that would otherwise pass (exit code 1), as in ESLint. */
export function tooManyWarnings(result: LintResult, maxWarnings: number | undefined): string | undefined {
  if (maxWarnings === undefined || result.summary.exitCode !== 0 || result.summary.warnings <= maxWarnings) return undefined
  return `runner-doctor found too many warnings (maximum: ${maxWarnings}, found: ${result.summary.warnings}).`
}
