import {type CiJob, type CiService, readGitlabCi} from '../gitlab-ci.js'
import type {CiRunner} from '../runners.js'
import {dindDefaultCertDir, dindServesTls, isDindImage} from './dind.js'
import {type DockerHost, parseDockerHost} from './docker-host.js'

/*
 * Jobs of a .gitlab-ci.yml that start docker:dind, seen from each Kubernetes runner they could run on. Variables
 * resolve as the runner resolves them: a runner's `environment` first, then the file's global variables, then the
 * job's, and for the service container its own `variables:` last.
 */

/** A variable as one container of the job sees it, and where it was set. */
export interface CiSetting {
  value: string
  /** Set when the file sets it; undefined when it comes from the runner or the image. */
  pointer?: string
  from: 'file' | 'runner' | 'image default'
}

export interface DindUse {
  job: CiJob
  service: CiService
  /** Something the job depends on lives outside this file (an include or an unknown template). */
  incomplete: boolean
}

/** Stands in for "whatever runner" when no runner config was linted with the file: only the file's own values count. */
export const ANY_RUNNER: CiRunner = {label: '', kubernetes: {}, environment: new Map()}

// Several rules ask for the same jobs: the pipeline is resolved once per file.
const dindUsesOf = new WeakMap<Record<string, unknown>, DindUse[]>()

/** Every (job, dind service) pair of a pipeline. */
export function dindUses(pipeline: Record<string, unknown>): DindUse[] {
  let uses = dindUsesOf.get(pipeline)
  if (!uses) {
    const config = readGitlabCi(pipeline)
    uses = config.jobs.flatMap((job) =>
      job.services.filter((s) => isDindImage(s.image)).map((service) => ({job, service, incomplete: config.includes || job.partial})),
    )
    dindUsesOf.set(pipeline, uses)
  }
  return uses
}

/** A variable of the job's build container. */
export function buildVariable(use: DindUse, runner: CiRunner, key: string): CiSetting | undefined {
  const own = use.job.variables.get(key)
  if (own) return {value: own.value, pointer: own.pointer, from: 'file'}
  const inherited = runner.environment.get(key)
  return inherited === undefined ? undefined : {value: inherited, from: 'runner'}
}

/** A variable of the dind service container: its own `variables:` first, then what the build container gets. */
export function serviceVariable(use: DindUse, runner: CiRunner, key: string): CiSetting | undefined {
  const own = use.service.variables.get(key)
  return own ? {value: own.value, pointer: own.pointer, from: 'file'} : buildVariable(use, runner, key)
}

export const isUnexpanded = (setting: CiSetting | undefined): boolean => setting !== undefined && setting.value.includes('$')

/** DOCKER_TLS_CERTDIR of the dind container, falling back to what its image sets. */
export function daemonCertDir(use: DindUse, runner: CiRunner): CiSetting {
  return serviceVariable(use, runner, 'DOCKER_TLS_CERTDIR') ?? {value: dindDefaultCertDir(use.service.image), from: 'image default'}
}

/** Whether the job's dind daemon serves TLS on 2376 (else plain HTTP on 2375). */
export function daemonServesTls(use: DindUse, runner: CiRunner): boolean {
  return dindServesTls(use.service.image, daemonCertDir(use, runner).value)
}

/** The TCP address the job's docker CLI connects to, when DOCKER_HOST names one without variables in it. */
export function jobDockerHost(use: DindUse, runner: CiRunner): {setting: CiSetting; address: DockerHost} | undefined {
  const setting = buildVariable(use, runner, 'DOCKER_HOST')
  if (!setting || isUnexpanded(setting)) return undefined
  const address = parseDockerHost(setting.value)
  return address?.kind === 'tcp' ? {setting, address} : undefined
}

/**
 * Runs a check for each runner a job could land on (without any runner config in the run: ANY_RUNNER, unless the
 * check needs a runner) and merges the runners that give the same answer, so each answer is reported once with the
 * labels of the runners that give it (`runners`; "the runner" when it stands for any runner).
 */
export function acrossRunners<I extends {pointer: string}>(
  pipeline: Record<string, unknown>,
  runners: CiRunner[],
  check: (use: DindUse, runner: CiRunner) => I | undefined,
  options: {needsRunner?: boolean} = {},
): Array<{issue: I; use: DindUse; runner: CiRunner; runners: string}> {
  const candidates = runners.length > 0 ? runners : options.needsRunner ? [] : [ANY_RUNNER]
  return dindUses(pipeline).flatMap((use) => {
    const grouped = new Map<string, {issue: I; use: DindUse; runner: CiRunner; labels: string[]}>()
    for (const runner of candidates) {
      const issue = check(use, runner)
      if (!issue) continue
      const key = JSON.stringify(issue)
      const group = grouped.get(key) ?? {issue, use, runner, labels: []}
      if (runner.label) group.labels.push(runner.label)
      grouped.set(key, group)
    }
    return [...grouped.values()].map(({labels, ...group}) => ({...group, runners: labels.join(', ') || 'the runner'}))
  })
}

/** Where a setting came from, for a message: `(the image default)`, `(from the environment of <runners>)` or nothing. */
export function settingOrigin(setting: Pick<CiSetting, 'from'>, runners: string): string {
  return setting.from === 'image default'
    ? ' (the image default)'
    : setting.from === 'runner'
      ? ` (from the environment of ${runners})`
      : ''
}

/** DOCKER_TLS_CERTDIR for a message: `"/certs" (the image default)`, `empty (from the environment of ...)`. */
export function describeCertDir(certDir: Pick<CiSetting, 'value' | 'from'>, runners: string): string {
  return `${certDir.value.trim() === '' ? 'empty' : `"${certDir.value}"`}${settingOrigin(certDir, runners)}`
}
