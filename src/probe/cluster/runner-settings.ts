import {readRunnerConfigs, RunnerConfigError} from '../../inputs/runner-configs.js'
import type {RunnerSettings} from './mirror-pod.js'

export class RunnerSettingsError extends Error {}

function pick(runners: RunnerSettings[], source: string, name?: string): RunnerSettings {
  const kubernetes = runners.filter((r) => r.executor === undefined || r.executor === 'kubernetes')
  if (name) {
    const match = runners.find((r) => r.name === name)
    if (!match)
      throw new RunnerSettingsError(
        `${source} has no runner named "${name}" (found: ${runners.map((r) => r.name ?? '(unnamed)').join(', ') || 'none'}).`,
      )
    return match
  }
  if (kubernetes.length === 0) throw new RunnerSettingsError(`${source} has no runner with the kubernetes executor.`)
  if (kubernetes.length > 1) {
    throw new RunnerSettingsError(
      `${source} has ${kubernetes.length} kubernetes runners (${kubernetes.map((r) => r.name ?? '(unnamed)').join(', ')}); ` +
        `choose one with --runner.`,
    )
  }
  return kubernetes[0]!
}

/** The runner the probe should mirror, from a config.toml, Helm values file or anything else lint reads. */
export async function readRunnerSettings(path: string, name?: string): Promise<RunnerSettings> {
  let runners: RunnerSettings[]
  try {
    runners = await readRunnerConfigs(path)
  } catch (error) {
    if (error instanceof RunnerConfigError) throw new RunnerSettingsError(error.message)
    const code = (error as NodeJS.ErrnoException).code
    throw new RunnerSettingsError(`${path} cannot be read: ${code ?? (error as Error).message}.`)
  }
  return pick(runners, path, name)
}
