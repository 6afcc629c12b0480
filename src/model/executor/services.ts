import {isPlainObject} from '../chart.js'
import {imageReference} from '../images.js'
import {stringList, stringOrEmpty} from '../literals.js'
import {isDindImage} from './dind.js'

const ALIAS = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

/**
 * The host names a job's service answers to on Kubernetes: its explicit aliases and the names the runner derives
 * from the image (`SplitNameAndVersion`: `docker:dind` is `docker`), DNS-1123 ones only, since the runner puts
 * them in the pod's hostAliases. A dind image from a registry path (`registry.example.com/group/docker`) is
 * therefore not `docker` unless the job says `alias: docker` (executors/kubernetes/host_aliases.go).
 */
export function serviceAliases(image: string, alias?: string): string[] {
  const {name} = imageReference(image)
  const candidates = [name.replaceAll('/', '__'), name.replaceAll('/', '-')]
  const explicit = alias ? alias.split(/[\s,]+/).filter(Boolean) : []
  return [...new Set([...explicit, ...candidates])].filter((a) => ALIAS.test(a) && a.length <= 253)
}

/** A `[[runners.kubernetes.services]]` entry: a service the runner adds to every job. */
export interface RunnerService {
  image: string
  alias?: string
  command: string[]
  entrypoint: string[]
  /** Its place in the runner's `kubernetes` table. */
  pointer: string
}

const nonEmpty = (list: string[]) => list.filter((s) => s !== '')

/** The services a runner's `[runners.kubernetes]` table adds to every job, as written. */
export function runnerServices(kubernetes: Record<string, unknown>): RunnerService[] {
  const list = Array.isArray(kubernetes.services) ? kubernetes.services : []
  return list.flatMap((entry, i) => {
    if (!isPlainObject(entry)) return []
    const alias = stringOrEmpty(entry.alias)
    return [
      {
        image: stringOrEmpty(entry.name),
        ...(alias ? {alias} : {}),
        command: nonEmpty(stringList(entry.command)),
        entrypoint: nonEmpty(stringList(entry.entrypoint)),
        pointer: `/services/${i}`,
      },
    ]
  })
}

/**
 * The first dind image a runner lets jobs start, with its place in the `kubernetes` table: an `allowed_services`
 * pattern (docker:*-dind) or a service the runner adds itself.
 */
export function allowedDindService(kubernetes: Record<string, unknown>): {image: string; pointer: string} | undefined {
  const allowed = stringList(kubernetes.allowed_services).map((image, i) => ({image, pointer: `/allowed_services/${i}`}))
  const added = runnerServices(kubernetes).map(({image, pointer}) => ({image, pointer: `${pointer}/name`}))
  return [...allowed, ...added].find((s) => isDindImage(s.image))
}

/** The dind service a runner adds to every job, when it adds one. */
export function runnerDindService(kubernetes: Record<string, unknown>): RunnerService | undefined {
  return runnerServices(kubernetes).find((s) => isDindImage(s.image))
}
