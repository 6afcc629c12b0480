/*
 * Node (host) paths that a container must not get: whatever the executor, a bind mount of them hands a job the node's
 * container runtime or its configuration, devices, credentials and other workloads' data.
 */

/** The Unix socket (or its directory) of a container runtime: whoever reaches it controls every container on the node. */
const RUNTIME_SOCKET = /(docker|containerd|crio|cri-dockerd|podman)\.sock$|\/var\/run\/docker$|\/run\/containerd$/

/** Whether a node path, without trailing slashes, is a container runtime's socket or its directory. */
export function isContainerRuntimeSocket(path: string): boolean {
  return RUNTIME_SOCKET.test(path)
}

/** Node directories, without trailing slashes, that hold the node's configuration, devices, credentials or other pods' data. */
export const SENSITIVE_NODE_DIRECTORIES: ReadonlySet<string> = new Set([
  '/',
  '/etc',
  '/var/run',
  '/run',
  '/proc',
  '/sys',
  '/root',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/dev',
  '/boot',
  '/var/log',
])
