import {readFile} from 'node:fs/promises'
import {parse} from 'smol-toml'
import type {RunnerSettings} from './mirror-pod.js'

export class RunnerSettingsError extends Error {}

function pick(runners: RunnerSettings[], source: string, name?: string): RunnerSettings {
  const kubernetes = runners.filter((r) => r.executor === undefined || r.executor === 'kubernetes')
  if (name) {
    const match = runners.find((r) => r.name === name)
    if (!match) throw new RunnerSettingsError(`${source} has no runner named "${name}" (found: ${runners.map((r) => r.name ?? '(unnamed)').join(', ') || 'none'}).`)
    return match
  }
  if (kubernetes.length === 0) throw new RunnerSettingsError(`${source} has no runner with the kubernetes executor.`)
  if (kubernetes.length > 1) {
    throw new RunnerSettingsError(`${source} has ${kubernetes.length} kubernetes runners (${kubernetes.map((r) => r.name ?? '(unnamed)').join(', ')}); choose one with --runner.`)
  }
  return kubernetes[0]!
}

/** Reads `[[runners]]` from a config.toml, keeping the keys as the runner spells them. */
export function runnersFromToml(text: string, source: string): RunnerSettings[] {
  let document: Record<string, unknown>
  try {
    document = parse(text) as Record<string, unknown>
  } catch (error) {
    throw new RunnerSettingsError(`${source} is not valid TOML: ${(error as Error).message}`)
  }
  const runners = Array.isArray(document.runners) ? (document.runners as Record<string, unknown>[]) : []
  return runners.map((runner) => ({
    ...(typeof runner.name === 'string' ? {name: runner.name} : {}),
    ...(typeof runner.executor === 'string' ? {executor: runner.executor} : {}),
    ...(typeof runner.url === 'string' ? {url: runner.url} : {}),
    ...(Array.isArray(runner.environment) ? {environment: runner.environment.filter((e): e is string => typeof e === 'string')} : {}),
    ...(runner.kubernetes && typeof runner.kubernetes === 'object' ? {kubernetes: runner.kubernetes as Record<string, unknown>} : {}),
  }))
}

/** The runner the probe should mirror, from a config.toml. */
export async function readRunnerSettings(path: string, name?: string): Promise<RunnerSettings> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new RunnerSettingsError(`${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  return pick(runnersFromToml(text, path), path, name)
}
