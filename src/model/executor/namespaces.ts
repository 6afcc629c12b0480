/** The namespaces of the cluster's own components, their service accounts and secrets. */
export const CLUSTER_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease']

/** Namespaces jobs must not be able to move to: the cluster's own and `default`, where unrelated workloads land. */
export const PROTECTED_NAMESPACES = [...CLUSTER_SYSTEM_NAMESPACES, 'default']

export function isClusterSystemNamespace(namespace: string): boolean {
  return CLUSTER_SYSTEM_NAMESPACES.includes(namespace.trim())
}
