import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {resolve} from 'node:path'

import type {ProbeContext, ResolvedProbeOptions} from '../checks/context.js'
import {dnsCheckTasks} from '../checks/dns.js'
import {parseDockerHost} from '../../model/executor/docker-host.js'
import {runBuilderChecks} from '../checks/builder.js'
import {runDockerChecks} from '../checks/docker.js'
import {checkDockerEnvironment, checkInterfaceMtu, checkLibc} from '../checks/environment.js'
import {checkHostsAliases, type HostsEntry, parseHostsFile} from '../checks/hosts-file.js'
import {checkOutbound, outboundTargets} from '../checks/outbound.js'
import {checkResolvConf, parseResolvConf, type ResolvConf} from '../checks/resolv-conf.js'
import {errorText, guarded, simpleCheck} from '../checks/util.js'
import type {CheckResult, ProbeTimings} from '../types.js'

export interface ProbeIo {
  env: Record<string, string | undefined>
  progress(message: string): void
}

export interface ChecksOutcome {
  checks: CheckResult[]
  timings: ProbeTimings
}

function readText(path: string): {text?: string; error?: string} {
  try {
    return {text: readFileSync(path, 'utf8')}
  } catch (error) {
    return {error: errorText(error)}
  }
}

export function buildContext(
  options: ResolvedProbeOptions,
  io: ProbeIo,
): {ctx: ProbeContext; resolvFile: {text?: string; error?: string}; hostsFile: {text?: string; error?: string}} {
  const resolvFile = readText(options.resolvConf)
  const hostsFile = readText(options.hostsFile)
  const resolv: ResolvConf | undefined = resolvFile.text === undefined ? undefined : parseResolvConf(resolvFile.text)
  const hosts: HostsEntry[] = hostsFile.text === undefined ? [] : parseHostsFile(hostsFile.text)
  const systemResolverMatches = resolve(options.resolvConf) === '/etc/resolv.conf' && resolve(options.hostsFile) === '/etc/hosts'
  return {ctx: {options, env: io.env, resolv, hosts, systemResolverMatches, progress: io.progress}, resolvFile, hostsFile}
}

/**
 * Runs every check concurrently (DNS names, Docker endpoints, outbound targets) and returns them in a
 * stable order: environment, DNS, Docker, outbound.
 */
export async function runAllChecks(options: ResolvedProbeOptions, io: ProbeIo): Promise<ChecksOutcome> {
  const startedAt = performance.now()
  const {ctx, resolvFile, hostsFile} = buildContext(options, io)
  const dockerHostNames = options.dockerHosts.map((e) => parseDockerHost(e.url)?.host).filter((h): h is string => Boolean(h))
  const wantedDockerNames = !options.docker
    ? []
    : options.dockerHosts
        .filter((e) => e.origin === 'requested' || e.origin === 'DOCKER_HOST')
        .map((e) => parseDockerHost(e.url)?.host)
        .filter((h): h is string => Boolean(h))
  const environment: CheckResult[] = [
    checkResolvConf(options.resolvConf, resolvFile.text, resolvFile.error),
    checkHostsAliases({
      path: options.hostsFile,
      text: hostsFile.text,
      readError: hostsFile.error,
      dockerHostNames: wantedDockerNames,
      hostname: hostname(),
    }),
    checkInterfaceMtu(ctx),
    checkLibc(ctx),
    ...(options.docker ? [checkDockerEnvironment(ctx)] : []),
  ]
  const dockerPart = options.docker
    ? `${dockerHostNames.length} Docker endpoint(s)`
    : options.builder
      ? `${options.builder} registry reachability`
      : 'no Docker daemon (none in this job pod)'
  io.progress(`Checking DNS, ${dockerPart} and outbound connections.`)
  let dindReadyMs: number | undefined
  const dnsTasks = dnsCheckTasks(ctx).map((task) => guarded(task.id, task.run))
  const dockerTask = options.docker
    ? guarded('docker-daemon', async () => {
        const outcome = await runDockerChecks(ctx)
        dindReadyMs = outcome.readyMs
        return outcome.checks
      })
    : Promise.resolve([])
  const builderTask = options.builder ? guarded(`builder-${options.builder}`, () => runBuilderChecks(ctx)) : Promise.resolve([])
  const targets = outboundTargets(ctx)
  const outboundTasks =
    targets.length > 0
      ? targets.map((t) => guarded(t.id, () => checkOutbound(ctx, t)))
      : [
          Promise.resolve([
            simpleCheck(
              'outbound',
              'skip',
              'No GitLab URL or registry given (--gitlab-url, CI_SERVER_URL, CI_REGISTRY); outbound checks skipped.',
              [],
              performance.now(),
            ),
          ]),
        ]
  const [dns, docker, builder, outbound] = await Promise.all([Promise.all(dnsTasks), dockerTask, builderTask, Promise.all(outboundTasks)])
  const checksMs = performance.now() - startedAt
  const timings: ProbeTimings = {checksMs: Math.round(checksMs), totalMs: Math.round(checksMs)}
  if (dindReadyMs !== undefined) timings.dindReadyMs = Math.round(dindReadyMs)
  return {checks: [...environment, ...dns.flat(), ...docker, ...builder, ...outbound.flat()], timings}
}
