import {compareVersions, parseVersion} from './chart.js'

/**
 * The release that no longer has a key last seen in `lastSeen`. GitLab ships minors .0 to .11 and then the
 * next major, so the release after 16.11 is 17.0.
 */
export function releaseAfter(lastSeen: string): string {
  const v = parseVersion(lastSeen)
  if (!v) return lastSeen
  return v[1] >= 11 ? `${v[0] + 1}.0` : `${v[0]}.${v[1] + 1}`
}

/** Whether a runner at `version` has a key that appeared in `since` and was last seen in `lastSeen`. */
export function keyStatus(
  version: string | undefined,
  since?: string,
  lastSeen?: string,
): 'known' | 'removed' | 'newer' | 'unknown-version' {
  if (!version || !parseVersion(version)) return 'unknown-version'
  if (since && compareVersions(version, since) < 0) return 'newer'
  if (lastSeen && compareVersions(version, releaseAfter(lastSeen)) >= 0) return 'removed'
  return 'known'
}
