import type {DockerEndpoint, ResolvedProbeOptions} from '../checks/context.js'
import {parseDockerHost} from '../../model/executor/docker-host.js'

/** The options the check program accepts, as JSON in argv[2] (the contract with the cluster side). */
export interface AgentOptions {
  resolvConf?: string
  hostsFile?: string
  dockerHosts?: string[]
  targets?: string[]
  gitlabUrl?: string
  registries?: string[]
  clusterDomain?: string
  timeoutMs?: number
  dindWaitMs?: number
  certDir?: string
  /** Tries per DNS query series (default 3). */
  dnsTries?: number
  /** Queries per nameserver in the loss series (default 60; 0 turns it off). */
  dnsLossQueries?: number
  /** Directory with one folder per interface holding `mtu` (default /sys/class/net). */
  netClassDir?: string
  /** PEM bundle of extra CAs trusted for the GitLab and registry handshakes. */
  tlsCaFile?: string
  /** Force the cluster-name check on or off; by default it runs inside Kubernetes only. */
  clusterDns?: boolean
  /** `--deep`: run this image (default busybox, `true`) on the daemon that answers. */
  deepImage?: string
  /** daemon.json as mounted in the job pod (default /etc/docker/daemon.json). */
  daemonJson?: string
  /** false: the job pod has no Docker daemon (no dind service, no DOCKER_HOST), so no Docker checks run. */
  docker?: boolean
  /** The job builds images with this daemonless builder: registry checks take the place of Docker ones. */
  builder?: 'kaniko' | 'buildah'
}

/**
 * Queries per nameserver in the loss series. A nameserver that drops 1 query in 20 (the conntrack race, an
 * overloaded DNS pod) loses none of n queries with probability (19/20)^n: n = 60 gives 1 - 0.95^60 ≈ 95.4 % to see at
 * least one loss (n = 30: 78.5 %, n = 90: 99.0 %). 60 keeps the series to about a second on a healthy server.
 */
export const DNS_LOSS_QUERIES = 60

/** The tiny image `--deep` runs unless told otherwise, with `true` as its command. */
export const DEFAULT_DEEP_IMAGE = 'busybox:1.36'

export const DEFAULT_DOCKER_HOSTS = ['tcp://localhost:2375', 'tcp://docker:2376']

export class AgentOptionsError extends Error {}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new AgentOptionsError(`Option ${field} must be a list of strings.`)
  return value as string[]
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new AgentOptionsError(`Option ${field} must be a string.`)
  return value
}

function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new AgentOptionsError(`Option ${field} must be a non-negative number.`)
  return value
}

/** Validates options that arrive as untyped JSON; unknown fields are refused so typos do not pass silently. */
export function validateAgentOptions(raw: unknown): AgentOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new AgentOptionsError('The options must be a JSON object.')
  const input = raw as Record<string, unknown>
  const known = new Set([
    'resolvConf',
    'hostsFile',
    'dockerHosts',
    'targets',
    'gitlabUrl',
    'registries',
    'clusterDomain',
    'timeoutMs',
    'dindWaitMs',
    'certDir',
    'dnsTries',
    'dnsLossQueries',
    'netClassDir',
    'tlsCaFile',
    'clusterDns',
    'docker',
    'builder',
    'daemonJson',
    'deepImage',
  ])
  const unknown = Object.keys(input).filter((k) => !known.has(k))
  if (unknown.length > 0) throw new AgentOptionsError(`Unknown option(s): ${unknown.join(', ')}.`)
  if (input.clusterDns !== undefined && typeof input.clusterDns !== 'boolean')
    throw new AgentOptionsError('Option clusterDns must be true or false.')
  if (input.docker !== undefined && typeof input.docker !== 'boolean') throw new AgentOptionsError('Option docker must be true or false.')
  if (input.builder !== undefined && input.builder !== 'kaniko' && input.builder !== 'buildah')
    throw new AgentOptionsError('Option builder must be kaniko or buildah.')
  const options: AgentOptions = {
    resolvConf: optionalString(input.resolvConf, 'resolvConf'),
    hostsFile: optionalString(input.hostsFile, 'hostsFile'),
    dockerHosts: stringList(input.dockerHosts, 'dockerHosts'),
    targets: stringList(input.targets, 'targets'),
    gitlabUrl: optionalString(input.gitlabUrl, 'gitlabUrl'),
    registries: stringList(input.registries, 'registries'),
    clusterDomain: optionalString(input.clusterDomain, 'clusterDomain'),
    timeoutMs: optionalNumber(input.timeoutMs, 'timeoutMs'),
    dindWaitMs: optionalNumber(input.dindWaitMs, 'dindWaitMs'),
    certDir: optionalString(input.certDir, 'certDir'),
    dnsTries: optionalNumber(input.dnsTries, 'dnsTries'),
    dnsLossQueries: optionalNumber(input.dnsLossQueries, 'dnsLossQueries'),
    netClassDir: optionalString(input.netClassDir, 'netClassDir'),
    tlsCaFile: optionalString(input.tlsCaFile, 'tlsCaFile'),
    clusterDns: input.clusterDns as boolean | undefined,
    docker: input.docker as boolean | undefined,
    daemonJson: optionalString(input.daemonJson, 'daemonJson'),
    deepImage: optionalString(input.deepImage, 'deepImage'),
    builder: input.builder as AgentOptions['builder'],
  }
  for (const url of options.dockerHosts ?? []) {
    if (!parseDockerHost(url)) throw new AgentOptionsError(`Docker host ${url} is not a tcp://HOST:PORT or unix:///PATH URL.`)
  }
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as AgentOptions
}

/** The other dind port on the same host, so a DOCKER_HOST on the wrong port can be told apart from no daemon. */
function counterpart(url: string): string | undefined {
  const parsed = parseDockerHost(url)
  if (parsed?.kind !== 'tcp') return undefined
  const other = parsed.port === 2375 ? 2376 : parsed.port === 2376 ? 2375 : undefined
  return other ? `tcp://${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${other}` : undefined
}

/**
 * Applies defaults. Docker endpoints: the requested ones (or the usual dind ports), DOCKER_HOST, and the other
 * dind port of DOCKER_HOST's host; GitLab and the registry default to the CI job's CI_SERVER_URL and CI_REGISTRY.
 */
export function resolveAgentOptions(
  options: AgentOptions,
  env: Record<string, string | undefined>,
  defaults: {dindWaitMs: number},
): ResolvedProbeOptions {
  const endpoints: DockerEndpoint[] = []
  const seen = new Set<string>()
  const add = (url: string | undefined, origin: DockerEndpoint['origin']): void => {
    if (!url) return
    const key = parseDockerHost(url)?.label ?? url
    if (seen.has(key)) {
      // DOCKER_HOST outranks a default guess for the same endpoint: it is what the docker CLI uses.
      if (origin === 'DOCKER_HOST') {
        const existing = endpoints.find((e) => (parseDockerHost(e.url)?.label ?? e.url) === key)
        if (existing) existing.origin = 'DOCKER_HOST'
      }
      return
    }
    seen.add(key)
    endpoints.push({url, origin})
  }
  if (options.dockerHosts && options.dockerHosts.length > 0) for (const url of options.dockerHosts) add(url, 'requested')
  else for (const url of DEFAULT_DOCKER_HOSTS) add(url, 'default')
  add(env.DOCKER_HOST, 'DOCKER_HOST')
  if (env.DOCKER_HOST) add(counterpart(env.DOCKER_HOST), 'counterpart')
  const registries = options.registries ?? (env.CI_REGISTRY ? [env.CI_REGISTRY] : [])
  return {
    resolvConf: options.resolvConf ?? '/etc/resolv.conf',
    hostsFile: options.hostsFile ?? '/etc/hosts',
    dockerHosts: endpoints,
    targets: options.targets ?? [],
    gitlabUrl: options.gitlabUrl ?? env.CI_SERVER_URL,
    registries,
    clusterDomain: (options.clusterDomain ?? 'cluster.local').replace(/^\.|\.$/g, ''),
    timeoutMs: options.timeoutMs ?? 2000,
    dindWaitMs: options.dindWaitMs ?? defaults.dindWaitMs,
    certDir: options.certDir ?? env.DOCKER_CERT_PATH ?? '/certs/client',
    dnsTries: Math.max(1, Math.round(options.dnsTries ?? 3)),
    dnsLossQueries: Math.max(0, Math.round(options.dnsLossQueries ?? DNS_LOSS_QUERIES)),
    netClassDir: options.netClassDir ?? '/sys/class/net',
    tlsCaFile: options.tlsCaFile,
    clusterDns: options.clusterDns ?? 'auto',
    daemonJson: options.daemonJson ?? '/etc/docker/daemon.json',
    ...(options.deepImage
      ? {deepRun: options.deepImage === DEFAULT_DEEP_IMAGE ? {image: DEFAULT_DEEP_IMAGE, command: ['true']} : {image: options.deepImage}}
      : {}),
    // A daemonless builder needs no Docker daemon; checking for one would only report its absence.
    docker: options.docker ?? !options.builder,
    builder: options.builder,
  }
}
