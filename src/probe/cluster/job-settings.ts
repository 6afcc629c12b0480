import {readFile} from 'node:fs/promises'

import {analyzeInput} from '../../inputs/detect.js'
import {NEWEST_CHART_VERSION} from '../../model/chart.js'
import {readGitlabCi} from '../../model/gitlab-ci.js'
import type {JobSettings} from './mirror-pod.js'

export class JobSettingsError extends Error {}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `--var KEY=VALUE` (repeatable) as variables; the value may hold `=`. */
export function parseVarFlags(flags: string[]): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const flag of flags) {
    const at = flag.indexOf('=')
    const key = at > 0 ? flag.slice(0, at) : ''
    if (!VARIABLE_NAME.test(key))
      throw new JobSettingsError(
        `--var ${JSON.stringify(flag.length > 40 ? `${flag.slice(0, 40)}…` : flag)} is not KEY=VALUE with a variable name as KEY.`,
      )
    variables[key] = flag.slice(at + 1)
  }
  return variables
}

/**
 * A job of a .gitlab-ci.yml as the mirror pod needs it: its services and variables as lint resolves them (extends,
 * default, inherit; src/model/gitlab-ci.ts), and its image. Variables from the file's `include`s, the project or
 * the group are not known; `--var` adds them.
 */
export async function jobFromCiFile(
  path: string,
  jobName: string,
): Promise<Required<Pick<JobSettings, 'jobServices' | 'jobVariables'>> & Pick<JobSettings, 'jobImage'> & {partial: boolean}> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new JobSettingsError(`--ci-file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`)
  }
  const analyzed = await analyzeInput(text, {chartVersion: NEWEST_CHART_VERSION, chartVersionFromFlag: false})
  if (analyzed.error) throw new JobSettingsError(`${path}:${analyzed.error.line}:${analyzed.error.column}: ${analyzed.error.message}`)
  const target = analyzed.targets.find((t) => t.type === 'gitlab-ci')
  if (!target) throw new JobSettingsError(`${path}:1:1: not a .gitlab-ci.yml (found ${analyzed.kind}).`)
  const config = readGitlabCi(target.data)
  const job = config.jobs.find((j) => j.name === jobName)
  if (!job) {
    const names = config.jobs.map((j) => j.name)
    throw new JobSettingsError(
      `${path} has no job "${jobName}" (jobs: ${names.slice(0, 12).join(', ') || 'none'}${names.length > 12 ? ', …' : ''}).`,
    )
  }
  return {
    jobServices: job.services.map((s) => ({
      image: s.image,
      ...(s.alias ? {alias: s.alias} : {}),
      command: s.command,
      entrypoint: s.entrypoint,
      variables: Object.fromEntries([...s.variables].map(([k, v]) => [k, v.value])),
    })),
    jobVariables: Object.fromEntries([...job.variables].map(([k, v]) => [k, v.value])),
    ...(job.image ? {jobImage: job.image} : {}),
    partial: job.partial || config.includes,
  }
}
