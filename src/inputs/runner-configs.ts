import {readFile} from 'node:fs/promises'

import {NEWEST_CHART_VERSION} from '../model/chart.js'
import {runnersOf} from '../model/runners.js'
import {analyzeInput} from './detect.js'

/** What the probe needs to mirror a job pod: one entry per `[[runners]]` of a values file, config.toml or wrapper. */
export interface RunnerConfigView {
  name?: string
  executor?: string
  url?: string
  environment?: string[]
  kubernetes?: Record<string, unknown>
  /**
   * The whole `[[runners]]` table (builds_dir, `[runners.feature_flags]`), for what the job pod takes from outside
   * `[runners.kubernetes]`.
   */
  settings?: Record<string, unknown>
}

export class RunnerConfigError extends Error {}

/** Reads runner settings from any input lint understands (values, config.toml, ConfigMap, wrappers). */
export async function readRunnerConfigs(path: string, chartVersion: string = NEWEST_CHART_VERSION): Promise<RunnerConfigView[]> {
  const text = await readFile(path, 'utf8')
  const analyzed = await analyzeInput(text, {chartVersion, chartVersionFromFlag: false})
  if (analyzed.error) throw new RunnerConfigError(`${path}:${analyzed.error.line}:${analyzed.error.column}: ${analyzed.error.message}`)
  const views: RunnerConfigView[] = []
  for (const target of analyzed.targets) {
    if (target.type !== 'config-toml') continue
    const gitlabUrl = target.values && typeof target.values.data.gitlabUrl === 'string' ? target.values.data.gitlabUrl : undefined
    for (const runner of runnersOf(target)) {
      views.push({
        name: runner.name,
        executor: runner.executor,
        url: typeof runner.settings.url === 'string' ? runner.settings.url : gitlabUrl,
        environment: runner.environment,
        kubernetes: runner.kubernetes,
        settings: runner.settings,
      })
    }
  }
  if (views.length === 0) throw new RunnerConfigError(`${path}: no [[runners]] found (${analyzed.skipped ?? analyzed.kind}).`)
  return views
}
