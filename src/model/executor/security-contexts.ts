import {isPlainObject} from '../chart.js'

/** The per-container security context tables of `[runners.kubernetes]`, build container first. */
export const CONTAINER_SECURITY_CONTEXTS = [
  'build_container_security_context',
  'helper_container_security_context',
  'service_container_security_context',
  'init_permissions_container_security_context',
]

/** The container security contexts a runner sets, by key, in the order of CONTAINER_SECURITY_CONTEXTS. */
export function containerSecurityContexts(kubernetes: Record<string, unknown>): Array<{key: string; context: Record<string, unknown>}> {
  return CONTAINER_SECURITY_CONTEXTS.flatMap((key) => {
    const context = kubernetes[key]
    return isPlainObject(context) ? [{key, context}] : []
  })
}

/**
 * The first setting that makes some job container privileged, as a pointer into the `kubernetes` table
 * (`/privileged`, `/service_container_security_context/privileged`, ...); undefined when none does.
 */
export function privilegedSetting(kubernetes: Record<string, unknown>): string | undefined {
  if (kubernetes.privileged === true) return '/privileged'
  const privileged = containerSecurityContexts(kubernetes).find(({context}) => context.privileged === true)
  return privileged && `/${privileged.key}/privileged`
}
