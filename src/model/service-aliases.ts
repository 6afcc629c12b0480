const ALIAS = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

/**
 * The host names a job's service answers to on Kubernetes: its explicit aliases and the names the runner derives
 * from the image (`SplitNameAndVersion`: `docker:dind` is `docker`), DNS-1123 ones only, since the runner puts
 * them in the pod's hostAliases. A dind image from a registry path (`registry.example.com/group/docker`) is
 * therefore not `docker` unless the job says `alias: docker`.
 */
export function serviceAliases(image: string, alias?: string): string[] {
  const withoutDigest = image.split('@')[0]!
  const lastColon = withoutDigest.lastIndexOf(':')
  const name = lastColon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, lastColon) : withoutDigest
  const candidates = [name.replaceAll('/', '__'), name.replaceAll('/', '-')]
  const explicit = alias ? alias.split(/[\s,]+/).filter(Boolean) : []
  return [...new Set([...explicit, ...candidates])].filter((a) => ALIAS.test(a) && a.length <= 253)
}
