import {isPlainObject} from '../chart.js'
import {stringOrEmpty} from '../literals.js'
import {volumesOf, withoutTrailingSlashes} from './volumes.js'

/** The job pod's containers with a security context of their own in `[runners.kubernetes]`. */
export type ContainerKind = 'build' | 'helper' | 'service' | 'init_permissions'

/**
 * Whether containers of a kind run privileged: their `<kind>_container_security_context.privileged` when set, else
 * `[runners.kubernetes] privileged` (common/config.go GetContainerSecurityContext).
 */
export function containerPrivileged(kubernetes: Record<string, unknown>, kind: ContainerKind): boolean {
  const context = kubernetes[`${kind}_container_security_context`]
  const own = isPlainObject(context) ? context.privileged : undefined
  return own === true || (own === undefined && kubernetes.privileged === true)
}

/** Every volume mount path of the job pod's containers, without trailing slashes. */
export function volumeMountPaths(kubernetes: Record<string, unknown>): string[] {
  const kinds = isPlainObject(kubernetes.volumes) ? Object.keys(kubernetes.volumes) : []
  return kinds.flatMap((kind) => volumesOf(kubernetes, kind).map(({volume}) => withoutTrailingSlashes(stringOrEmpty(volume.mount_path))))
}

/** Where dind writes the client certificates for a DOCKER_TLS_CERTDIR: its `client` subdirectory. */
export function dindClientCertDir(certDir: string): string {
  return `${withoutTrailingSlashes(certDir.trim())}/client`
}

/** Whether the client certificates dind writes under `certDir` reach the build container through a shared volume. */
export function sharesDindClientCerts(kubernetes: Record<string, unknown>, certDir: string): boolean {
  const client = dindClientCertDir(certDir)
  return volumeMountPaths(kubernetes).some((m) => m === client || m === client.slice(0, -'/client'.length))
}
