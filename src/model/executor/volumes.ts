import {isPlainObject} from '../chart.js'

/** The `[[runners.kubernetes.volumes.<kind>]]` tables of a runner, each with its index in the list as written. */
export function volumesOf(kubernetes: Record<string, unknown>, kind: string): Array<{volume: Record<string, unknown>; index: number}> {
  const volumes = isPlainObject(kubernetes.volumes) ? kubernetes.volumes : {}
  const list = Array.isArray(volumes[kind]) ? volumes[kind] : []
  return list.flatMap((volume: unknown, index: number) => (isPlainObject(volume) ? [{volume, index}] : []))
}

/** A path without trailing slashes, so `/builds/` and `/builds` compare equal (`/` becomes the empty string). */
export function withoutTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '')
}

/**
 * The node directories a runner mounts into job pods (`host_path` volumes), without trailing slashes, each with
 * the pointer of its `host_path` setting in the `kubernetes` table.
 */
export function hostPathVolumes(kubernetes: Record<string, unknown>): Array<{path: string; pointer: string}> {
  return volumesOf(kubernetes, 'host_path').flatMap(({volume, index}) =>
    typeof volume.host_path === 'string'
      ? [{path: withoutTrailingSlashes(volume.host_path) || '/', pointer: `/volumes/host_path/${index}/host_path`}]
      : [],
  )
}
