import {isRunnerDnsPolicy, kubernetesDnsPolicy, meantDnsPolicy, RUNNER_DNS_POLICIES} from '../../src/model/executor/dns-policy.js'

// common/config.go KubernetesDNSPolicy.Get: exact kebab-case names; "" is ClusterFirst; anything else is dropped.

test('the runner names map to the Kubernetes ones', () => {
  expect(Object.entries(RUNNER_DNS_POLICIES).map(([name]) => [name, kubernetesDnsPolicy(name)])).toEqual([
    ['none', 'None'],
    ['default', 'Default'],
    ['cluster-first', 'ClusterFirst'],
    ['cluster-first-with-host-net', 'ClusterFirstWithHostNet'],
  ])
})

test('an empty policy is ClusterFirst, as the runner sets it', () => {
  // Decision: the probe left an empty dns_policy out of the pod; the runner writes ClusterFirst. Same pod DNS, now said alike.
  expect(kubernetesDnsPolicy('')).toBe('ClusterFirst')
})

test('Kubernetes spellings and other casings are not runner policies and leave the pod to the cluster default', () => {
  for (const value of ['ClusterFirst', 'None', 'Cluster-First', 'clusterfirst', ' none', 42, undefined]) {
    expect(kubernetesDnsPolicy(value)).toBeUndefined()
  }
  expect(isRunnerDnsPolicy('ClusterFirst')).toBe(false)
  expect(isRunnerDnsPolicy('toString')).toBe(false)
})

test('meantDnsPolicy names the runner spelling of a near miss', () => {
  expect(meantDnsPolicy('ClusterFirstWithHostNet')).toBe('cluster-first-with-host-net')
  expect(meantDnsPolicy('cluster_first')).toBe('cluster-first')
  expect(meantDnsPolicy('coredns')).toBeUndefined()
})
