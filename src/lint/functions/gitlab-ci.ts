import type {CiRunner, GitlabCiTarget} from '../../inputs/targets.js'
import {type CiJob, type CiService, readGitlabCi} from '../../model/gitlab-ci.js'
import {serviceAliases} from '../../model/service-aliases.js'
import {isDindImage, mountPaths, privilegedFor} from './kubernetes-settings.js'
import type {FunctionContext, FunctionResult, RuleFunction} from './types.js'

/*
 * Jobs of a .gitlab-ci.yml that start docker:dind, checked against the Kubernetes runners of the same lint run.
 * Variables resolve as the runner resolves them: a runner's `environment` first, then the file's global
 * variables, then the job's, and for the service container its own `variables:` last.
 */

/** A variable as one container of the job sees it, and where it was set. */
interface Setting {
  value: string
  /** Set when the file sets it; undefined when it comes from the runner or the image. */
  pointer?: string
  from: 'file' | 'runner' | 'image default'
}

interface DindUse {
  job: CiJob
  service: CiService
  /** Something the job depends on lives outside this file (an include or an unknown template). */
  incomplete: boolean
}

/** Stands in for "whatever runner" when no runner config was linted with the file: only the file's own values count. */
const ANY_RUNNER: CiRunner = {label: '', kubernetes: {}, environment: new Map()}

/** `{runners}` in a message is replaced by the runners it applies to. */
interface RunnerIssue {
  pointer: string
  message: string
  severity?: FunctionResult['severity']
}

const unexpanded = (s: Setting | undefined) => s !== undefined && s.value.includes('$')

// Each of the four rules asks for the same jobs: the pipeline is resolved once per target.
const dindUsesOf = new WeakMap<GitlabCiTarget, DindUse[]>()

function dindUses(target: GitlabCiTarget): DindUse[] {
  let uses = dindUsesOf.get(target)
  if (!uses) {
    const config = readGitlabCi(target.data)
    uses = config.jobs.flatMap((job) => job.services.filter((s) => isDindImage(s.image)).map((service) => ({job, service, incomplete: config.includes || job.partial})))
    dindUsesOf.set(target, uses)
  }
  return uses
}

function buildVariable(use: DindUse, runner: CiRunner, key: string): Setting | undefined {
  const own = use.job.variables.get(key)
  if (own) return {value: own.value, pointer: own.pointer, from: 'file'}
  const inherited = runner.environment.get(key)
  return inherited === undefined ? undefined : {value: inherited, from: 'runner'}
}

function serviceVariable(use: DindUse, runner: CiRunner, key: string): Setting | undefined {
  const own = use.service.variables.get(key)
  return own ? {value: own.value, pointer: own.pointer, from: 'file'} : buildVariable(use, runner, key)
}

/** docker:18.09-dind and older predate DOCKER_TLS_CERTDIR and always listen without TLS on 2375. */
function predatesTls(image: string): boolean {
  const m = /:(\d+)\.(\d+)[^/]*$/.exec(image.split('@')[0]!)
  return m !== null && (Number(m[1]) < 19 || (Number(m[1]) === 19 && Number(m[2]) < 3))
}

/** DOCKER_TLS_CERTDIR of the dind container; the docker images default it to /certs (19.03 on), which turns TLS on. */
function daemonCertDir(use: DindUse, runner: CiRunner): Setting {
  return serviceVariable(use, runner, 'DOCKER_TLS_CERTDIR') ?? {value: predatesTls(use.service.image) ? '' : '/certs', from: 'image default'}
}

function dockerHost(use: DindUse, runner: CiRunner): {setting: Setting; host: string; port?: string} | undefined {
  const setting = buildVariable(use, runner, 'DOCKER_HOST')
  if (!setting || unexpanded(setting)) return undefined
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(setting.value.trim())
  return m ? {setting, host: m[1].toLowerCase(), port: m[2]} : undefined
}

function describeCertDir(certdir: Setting): string {
  const shown = certdir.value.trim() === '' ? 'empty' : `"${certdir.value}"`
  return certdir.from === 'image default' ? `${shown} (the image default)` : certdir.from === 'runner' ? `${shown} (from the environment of {runners})` : shown
}

/**
 * Runs a check for each runner the job could land on and merges runners that give the same answer into one
 * finding that names them.
 */
function acrossRunners(ctx: FunctionContext, check: (use: DindUse, runner: CiRunner) => RunnerIssue | undefined, options: {needsRunner?: boolean} = {}): FunctionResult[] {
  if (ctx.target.type !== 'gitlab-ci') return []
  const runners = ctx.target.runners.length > 0 ? ctx.target.runners : options.needsRunner ? [] : [ANY_RUNNER]
  const out: FunctionResult[] = []
  for (const use of dindUses(ctx.target)) {
    const grouped = new Map<string, {issue: RunnerIssue; labels: string[]}>()
    for (const runner of runners) {
      const issue = check(use, runner)
      if (!issue) continue
      const key = `${issue.pointer}\u0000${issue.message}`
      const group = grouped.get(key) ?? {issue, labels: []}
      if (runner.label) group.labels.push(runner.label)
      grouped.set(key, group)
    }
    for (const {issue, labels} of grouped.values()) {
      out.push({pointer: issue.pointer, message: issue.message.replaceAll('{runners}', labels.join(', ') || 'the runner'), ...(issue.severity ? {severity: issue.severity} : {})})
    }
  }
  return out
}

/** docker:dind needs a privileged container; the runner decides that, not the job. */
export const ciDindRunnerNotPrivileged: RuleFunction = (ctx) =>
  acrossRunners(
    ctx,
    (use, runner) =>
      privilegedFor(runner.kubernetes, 'service_container_security_context')
        ? undefined
        : {
            pointer: use.service.pointer,
            message: `Job ${use.job.name} starts ${use.service.image}, but {runners} does not run service containers privileged: dockerd cannot start, so every docker command in the job fails.`,
          },
    {needsRunner: true},
  )

/** The dind daemon listens with TLS on 2376 when DOCKER_TLS_CERTDIR is set, and on 2375 without TLS only when it is empty. */
export const ciDindTlsPortMismatch: RuleFunction = (ctx) =>
  acrossRunners(ctx, (use, runner) => {
    const host = dockerHost(use, runner)
    const certdir = daemonCertDir(use, runner)
    if (!host?.port || unexpanded(certdir)) return undefined
    // An included file or template could set DOCKER_TLS_CERTDIR where this file cannot see it.
    if (certdir.from === 'image default' && use.incomplete) return undefined
    const tls = !predatesTls(use.service.image) && certdir.value.trim() !== ''
    const pointer = host.setting.pointer ?? certdir.pointer ?? use.service.pointer
    const hostFrom = host.setting.from === 'runner' ? ' (from the environment of {runners})' : ''
    if (host.port === '2375' && tls) {
      // Without the runner's config, its environment could still turn TLS off: say so, and do not fail the run on it.
      const assumed = certdir.from === 'image default' && runner === ANY_RUNNER
      return {
        pointer,
        severity: assumed ? 'warning' : undefined,
        message: `Job ${use.job.name}: DOCKER_HOST=${host.setting.value}${hostFrom} is the plain port, but ${use.service.image} listens with TLS on 2376 because its DOCKER_TLS_CERTDIR is ${describeCertDir(certdir)}: docker commands fail with "Cannot connect to the Docker daemon".${assumed ? ' Unless the runner sets DOCKER_TLS_CERTDIR to "" in its environment; lint its config in the same run to know.' : ''}`,
      }
    }
    if (host.port === '2376' && !tls) {
      return {pointer, message: `Job ${use.job.name}: DOCKER_HOST=${host.setting.value}${hostFrom} expects TLS on 2376, but DOCKER_TLS_CERTDIR is empty for ${use.service.image}, so it listens without TLS on 2375: docker commands cannot connect.`}
    }
    return undefined
  })

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Service containers are reached by their aliases (hostAliases) or on localhost; any other bare name goes to DNS and fails. */
export const ciDindHostNotAService: RuleFunction = (ctx) =>
  acrossRunners(ctx, (use, runner) => {
    const host = dockerHost(use, runner)
    // Dotted names and addresses may be a real remote daemon; only a bare name is meant as a service alias.
    if (!host || LOOPBACK.has(host.host) || /[.:[]/.test(host.host)) return undefined
    if (use.job.services.some((s) => serviceAliases(s.image, s.alias).includes(host.host))) return undefined
    const aliases = serviceAliases(use.service.image, use.service.alias)
    const reachable = aliases.length > 0 ? `${aliases.join(', ')} or localhost` : 'localhost only'
    return {
      pointer: host.setting.pointer ?? use.service.pointer,
      message: `Job ${use.job.name}: DOCKER_HOST=${host.setting.value} names "${host.host}", but no service of the job answers to it; ${use.service.image} is reachable as ${reachable}. Add alias: ${host.host} to the service.`,
    }
  })

/** With TLS the client certificates dind writes reach the build container only through a shared volume. */
export const ciDindTlsWithoutCertVolume: RuleFunction = (ctx) =>
  acrossRunners(
    ctx,
    (use, runner) => {
      const host = dockerHost(use, runner)
      const certdir = daemonCertDir(use, runner)
      if (host?.port !== '2376' || unexpanded(certdir) || certdir.value.trim() === '' || predatesTls(use.service.image)) return undefined
      if (certdir.from === 'image default' && use.incomplete) return undefined
      const dir = certdir.value.trim().replace(/\/+$/, '')
      if (mountPaths(runner.kubernetes).some((m) => m === dir || m === `${dir}/client`)) return undefined
      return {
        pointer: certdir.pointer ?? host.setting.pointer ?? use.service.pointer,
        message: `Job ${use.job.name} talks TLS to ${use.service.image}, whose DOCKER_TLS_CERTDIR is ${describeCertDir(certdir)}, but {runners} mounts no volume at ${dir}/client: the build container never sees the client certificates dind writes, so docker commands fail.`,
      }
    },
    {needsRunner: true},
  )
