import type {V1Container, V1EnvVar, V1EphemeralContainer, V1Pod} from '@kubernetes/client-node'
import {BUILD_CONTAINER} from './mirror-pod.js'

/** Variables the checks read in a job: the Docker client's and the CI job's (DOCKER_HOST, DOCKER_CERT_PATH, CI_SERVER_URL …). */
const CHECKED_VARIABLES = /^(DOCKER_|CI_)/

/**
 * The check program as an ephemeral container of a job pod, seeing what the job's build container sees: its volume
 * mounts (the dind client certificates at /certs/client, say) and its DOCKER_* and CI_* variables, so TLS dind can be
 * checked from it. Mounts with subPath are left out: the API server forbids them in ephemeral containers.
 */
export function ephemeralAgentContainer(
  jobPod: V1Pod,
  container: {name: string; image: string; command: string[]},
): {container: V1EphemeralContainer; leftOut: string[]} {
  const containers: V1Container[] = jobPod.spec?.containers ?? []
  const build = containers.find((c) => c.name === BUILD_CONTAINER) ?? containers[0]
  const mounts = build?.volumeMounts ?? []
  const usable = mounts.filter((m) => !m.subPath && !m.subPathExpr)
  const env: V1EnvVar[] = (build?.env ?? [])
    .filter((e) => CHECKED_VARIABLES.test(e.name) && e.value !== undefined)
    .map(({name, value}) => ({name, value}))
  return {
    container: {
      ...container,
      env: [...env, {name: 'RUNNER_DOCTOR_NODE_NAME', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
      ...(usable.length
        ? {volumeMounts: usable.map(({name, mountPath, readOnly}) => ({name, mountPath, ...(readOnly ? {readOnly} : {})}))}
        : {}),
      ...(build ? {targetContainerName: build.name} : {}),
    },
    leftOut: mounts.filter((m) => m.subPath || m.subPathExpr).map((m) => `${m.mountPath} (subPath)`),
  }
}
