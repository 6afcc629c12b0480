/*
 * `[runners.kubernetes] dns_policy` (common/config.go, KubernetesDNSPolicy.Get): the runner takes its own kebab-case
 * names, compared exactly. An empty value means ClusterFirst; any other value is logged as "falling back to
 * cluster's default policy" and the pod gets no dnsPolicy.
 */

/** Runner DNS policy names and the Kubernetes dnsPolicy each becomes. */
export const RUNNER_DNS_POLICIES: Readonly<Record<string, string>> = {
  none: 'None',
  default: 'Default',
  'cluster-first': 'ClusterFirst',
  'cluster-first-with-host-net': 'ClusterFirstWithHostNet',
}

export function isRunnerDnsPolicy(value: string): boolean {
  return Object.hasOwn(RUNNER_DNS_POLICIES, value)
}

/** The pod's dnsPolicy for a runner value; undefined leaves it to the cluster, as the runner does for values it rejects. */
export function kubernetesDnsPolicy(value: unknown): string | undefined {
  if (value === '') return RUNNER_DNS_POLICIES['cluster-first']
  return typeof value === 'string' && isRunnerDnsPolicy(value) ? RUNNER_DNS_POLICIES[value] : undefined
}

/** The runner name someone meant with a Kubernetes or otherwise misspelt one (ClusterFirst, cluster_first). */
export function meantDnsPolicy(value: string): string | undefined {
  const squashed = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '')
  return Object.keys(RUNNER_DNS_POLICIES).find((name) => squashed(name) === squashed(value))
}
