import {isContainerRuntimeSocket, SENSITIVE_NODE_DIRECTORIES} from '../host-paths.js'
import {placeholderKind} from '../placeholders.js'
import {stringList} from '../literals.js'

/**
 * `[runners.docker]` settings as the Docker executor reads them (docs/configuration/advanced-configuration.md,
 * "The [runners.docker] section"; docs/executors/docker.md, "Persistent storage").
 */

/** One `volumes` entry: `<path>` (a volume the runner manages) or `<host-path>:<path>[:<mode>]` (a bind mount). */
export interface DockerVolume {
  entry: string
  index: number
  /** The host directory or file bound into the container; undefined for a runner-managed or named volume. */
  hostPath?: string
  containerPath: string
  readOnly: boolean
}

// A Windows drive (`C:`) belongs to the path, not to the separator.
const VOLUME_ENTRY = /^((?:[A-Za-z]:)?[^:]+)(?::((?:[A-Za-z]:)?[^:]+))?(?::([A-Za-z,]+))?$/

/** The `volumes` of a `[runners.docker]` table, each with its place in the list; entries that do not parse are left out. */
export function dockerVolumes(docker: Record<string, unknown>): DockerVolume[] {
  const list = Array.isArray(docker.volumes) ? docker.volumes : []
  return list.flatMap((entry: unknown, index: number) => {
    if (typeof entry !== 'string' || placeholderKind(entry) !== undefined) return []
    const m = VOLUME_ENTRY.exec(entry.trim())
    if (!m) return []
    const [, first, second, mode] = m
    if (second === undefined) return [{entry, index, containerPath: first, readOnly: false}]
    // `name:/path` mounts a named Docker volume; only a path (absolute, relative or home) is a host directory.
    const hostPath = /^([/~.]|[A-Za-z]:)/.test(first) ? first : undefined
    return [{entry, index, ...(hostPath ? {hostPath} : {}), containerPath: second, readOnly: (mode ?? '').split(',').includes('ro')}]
  })
}

/** A host path without trailing slashes, `/` staying `/`. */
export function normalizedHostPath(path: string): string {
  return path.replace(/\/+$/, '') || '/'
}

/**
 * Host paths a job must not get: a container runtime's socket, and the node directories of host-paths.ts plus
 * /home, since a Docker host is often a machine people log in to.
 */
export function isContainerRuntimeSocketPath(path: string): boolean {
  return isContainerRuntimeSocket(normalizedHostPath(path))
}

export function isSensitiveHostDirectory(path: string): boolean {
  const normalized = normalizedHostPath(path)
  return SENSITIVE_NODE_DIRECTORIES.has(normalized) || normalized === '/home'
}

/**
 * An allow-list setting (`allowed_images`, `allowed_privileged_services` ...) as the patterns that restrict something:
 * unset, empty and `["**"]` allow everything (the runner's documented default), so they restrict nothing.
 */
export function restrictingPatterns(value: unknown): string[] {
  const patterns = stringList(value).filter((p) => p.trim() !== '')
  return patterns.some((p) => p.trim() === '**') ? [] : patterns
}

/** Whether a string setting is set to something (an empty string or `"0"` means unset for Docker's limits). */
export function isLimitSet(value: unknown): boolean {
  if (typeof value === 'number') return value > 0
  return typeof value === 'string' && value.trim() !== '' && !/^0+(\.0*)?[a-z]?$/i.test(value.trim())
}

/** The CPU settings that cap a job container: `cpus`, `cpu_quota` (with `cpu_period`) or a `cpuset_cpus` pin. */
export const DOCKER_CPU_LIMITS = ['cpus', 'cpu_quota', 'cpuset_cpus'] as const

/** Which of memory and CPU a `[runners.docker]` table leaves without a limit. */
export function missingDockerLimits(docker: Record<string, unknown>): Array<'memory' | 'cpus'> {
  const missing: Array<'memory' | 'cpus'> = []
  if (!isLimitSet(docker.memory)) missing.push('memory')
  if (!DOCKER_CPU_LIMITS.some((key) => isLimitSet(docker[key]))) missing.push('cpus')
  return missing
}

/** `[runners.docker] pull_policy` as the list of policies the runner tries in order; `always` when unset. */
export function dockerPullPolicies(docker: Record<string, unknown>): string[] {
  const policies = stringList(docker.pull_policy).map((p) => p.trim())
  return policies.length > 0 ? policies : ['always']
}
