import {describe, expect, it} from '@jest/globals'

import {configDrift, sameImage} from '../../src/model/cluster/drift.js'
import type {NodeFacts} from '../../src/model/cluster/facts.js'
import {jobContainers, podTotal, withLimitRangeDefaults} from '../../src/model/cluster/job-demands.js'
import {limitRangeViolations} from '../../src/model/cluster/limit-range.js'
import {podSecurityViolations} from '../../src/model/cluster/pod-security.js'
import {quotaVerdicts} from '../../src/model/cluster/quota.js'
import {autoscalerLabel, podsThatFit, whyNotEligible} from '../../src/model/cluster/scheduling.js'

const GiB = 2 ** 30
const node = (labels: Record<string, string> = {}, taints: NodeFacts['taints'] = []): NodeFacts => ({
  name: 'n',
  labels,
  taints,
  unschedulable: false,
  allocatable: {cpuMillicores: 4000, memoryBytes: 16 * GiB, pods: 110},
})

describe('which nodes a job pod may use', () => {
  const dedicated = node({pool: 'ci'}, [{key: 'dedicated', value: 'ci', effect: 'NoSchedule'}])
  it('an untolerated NoSchedule taint keeps it off; key=value, key alone and an empty effect tolerate it', () => {
    expect(whyNotEligible({}, dedicated)).toBe('taint dedicated=ci:NoSchedule')
    expect(whyNotEligible({node_tolerations: {'dedicated=ci': 'NoSchedule'}}, dedicated)).toBeUndefined()
    expect(whyNotEligible({node_tolerations: {dedicated: ''}}, dedicated)).toBeUndefined()
    expect(whyNotEligible({node_tolerations: {'dedicated=other': 'NoSchedule'}}, dedicated)).toBe('taint dedicated=ci:NoSchedule')
    expect(whyNotEligible({node_tolerations: {'dedicated=ci': 'NoExecute'}}, dedicated)).toBe('taint dedicated=ci:NoSchedule')
    expect(whyNotEligible({}, node({}, [{key: 'spot', effect: 'PreferNoSchedule'}]))).toBeUndefined()
  })

  it('node_selector and required node affinity must match; a cordoned node takes nothing', () => {
    expect(whyNotEligible({node_selector: {pool: 'ci'}}, node({pool: 'general'}))).toBe('node_selector pool=ci')
    const affinity = (operator: string, values: string[]) => ({
      affinity: {
        node_affinity: {
          required_during_scheduling_ignored_during_execution: {
            node_selector_terms: [{match_expressions: [{key: 'pool', operator, values}]}],
          },
        },
      },
    })
    expect(whyNotEligible(affinity('In', ['ci']), node({pool: 'ci'}))).toBeUndefined()
    expect(whyNotEligible(affinity('NotIn', ['ci']), node({pool: 'ci'}))).toBe('node affinity')
    expect(whyNotEligible({}, {...node(), unschedulable: true})).toBe('cordoned')
  })

  it('counts the pods that fit by CPU, memory and pod slots, after what already runs there', () => {
    expect(podsThatFit(node(), undefined, {cpuMillicores: 1500, memoryBytes: 1.5 * GiB})).toBe(2)
    expect(podsThatFit(node(), {cpuMillicores: 1000, memoryBytes: 0, pods: 3}, {cpuMillicores: 1500, memoryBytes: GiB})).toBe(2)
    expect(podsThatFit(node(), undefined, {cpuMillicores: 100, memoryBytes: 8 * GiB})).toBe(2)
    expect(
      podsThatFit({...node(), allocatable: {cpuMillicores: 4000, memoryBytes: 16 * GiB, pods: 1}}, undefined, {
        cpuMillicores: 0,
        memoryBytes: 0,
      }),
    ).toBe(1)
  })

  it('an autoscaler is known only from node labels', () => {
    expect(autoscalerLabel([node({'kubernetes.io/hostname': 'n'})])).toBeUndefined()
    expect(autoscalerLabel([node({'karpenter.sh/nodepool': 'ci'})])).toBe('karpenter.sh/nodepool=ci')
  })
})

describe('the job pod as the API server admits it', () => {
  const tutorial = {
    cpu_request: '500m',
    cpu_limit: '1',
    memory_request: '512Mi',
    memory_limit: '1Gi',
    service_cpu_limit: '1',
    service_memory_limit: '1Gi',
  }

  it('a limit without a request is the request (pod defaulting); the helper states nothing', () => {
    const containers = jobContainers(tutorial, 1)
    expect(podTotal(containers, 'requests', 'cpu')).toEqual({total: 1.5, missing: ['helper']})
    expect(podTotal(containers, 'limits', 'memory')).toEqual({total: 2 * GiB, missing: ['helper']})
    expect(podTotal(jobContainers(tutorial, 2), 'requests', 'cpu').total).toBe(2.5)
  })

  it('a LimitRange fills what is missing; a max without a default is the default, as the API server stores it', () => {
    const {containers, defaults} = withLimitRangeDefaults(jobContainers(tutorial, 1), [
      {name: 'lr', items: [{type: 'Container', default: {}, defaultRequest: {}, max: {cpu: 2}, min: {}}]},
    ])
    expect(containers.find((c) => c.name === 'helper')).toMatchObject({requests: {cpu: 2}, limits: {cpu: 2}})
    expect(defaults.map((d) => `${d.container} ${d.resource} ${d.kind}`)).toEqual(['helper cpu limit', 'helper cpu request'])
  })

  it('LimitRange bounds: a limit above max and a request below min are named with their container', () => {
    const violations = limitRangeViolations(jobContainers(tutorial, 1), [
      {name: 'lr', items: [{type: 'Container', default: {}, defaultRequest: {}, max: {memory: GiB / 2}, min: {cpu: 0.75}}]},
    ])
    expect(violations.map((v) => `${v.container} ${v.resource} ${v.bound} ${v.value}`)).toEqual([
      'build cpu min 0.5',
      'helper cpu min undefined',
      'build memory max 1073741824',
      'helper memory max undefined',
      'service memory max 1073741824',
    ])
  })
})

describe('ResourceQuota verdicts', () => {
  const sized = jobContainers(
    {cpu_request: '500m', cpu_limit: '1', helper_cpu_request: '100m', helper_cpu_limit: '200m', service_cpu_limit: '1'},
    1,
  )
  it('the job number at which the first tracked amount runs out, counting what is in use', () => {
    expect(quotaVerdicts([{name: 'q', hard: {'requests.cpu': 8}, used: {'requests.cpu': 0}}], sized, 20)).toEqual([
      {quota: 'q', resource: 'requests.cpu', reason: 'exceeded', firstRejectedJob: 6, perJob: 1.6, hard: 8, used: 0},
    ])
    expect(quotaVerdicts([{name: 'q', hard: {'requests.cpu': 8, pods: 10}, used: {'requests.cpu': 0, pods: 7}}], sized, 20)).toMatchObject([
      {resource: 'pods', firstRejectedJob: 4},
    ])
    expect(quotaVerdicts([{name: 'q', hard: {'requests.cpu': 64}, used: {}}], sized, 20)).toEqual([])
  })

  it('a tracked resource a container does not state rejects job 1', () => {
    const tutorial = jobContainers({cpu_request: '500m', cpu_limit: '1', service_cpu_limit: '1'}, 1)
    expect(quotaVerdicts([{name: 'q', hard: {'requests.cpu': 8}, used: {}}], tutorial, 20)).toEqual([
      {quota: 'q', resource: 'requests.cpu', reason: 'unspecified', containers: ['helper'], atTheLatest: 6},
    ])
    expect(quotaVerdicts([{name: 'q', hard: {'limits.memory': 64 * GiB}, used: {}}], sized, 20)).toEqual([
      {quota: 'q', resource: 'limits.memory', reason: 'unspecified', containers: ['build', 'helper', 'service']},
    ])
    expect(quotaVerdicts([{name: 'q', hard: {cpu: 64}, used: {}}], jobContainers({}, 1), 2)).toMatchObject([
      {resource: 'requests.cpu', reason: 'unspecified'},
    ])
  })
})

describe('Pod Security levels against the runner settings', () => {
  it('baseline: privileged, added capabilities beyond its list, host_path volumes, each at its setting', () => {
    const settings = {
      cap_add: ['NET_BIND_SERVICE', 'SYS_ADMIN'],
      helper_container_security_context: {privileged: true},
      volumes: {host_path: [{name: 'sock', mount_path: '/var/run/docker.sock', host_path: '/var/run/docker.sock'}]},
    }
    expect(podSecurityViolations(settings, 'baseline').map((v) => `${v.check} ${v.pointer}`)).toEqual([
      'privileged /helper_container_security_context/privileged',
      'non-default capabilities /cap_add/1',
      'hostPath volumes /volumes/host_path/0/host_path',
    ])
    expect(podSecurityViolations(settings, 'privileged')).toEqual([])
  })

  it('restricted also asks for no privilege escalation, drop ALL, non-root and a seccomp profile', () => {
    expect(podSecurityViolations({}, 'restricted').map((v) => v.check)).toEqual([
      'allowPrivilegeEscalation != false',
      'unrestricted capabilities',
      'runAsNonRoot != true',
      'seccompProfile',
    ])
    const hardened = {
      allow_privilege_escalation: false,
      cap_drop: ['ALL'],
      pod_security_context: {run_as_non_root: true, seccomp_profile: {type: 'RuntimeDefault'}},
    }
    expect(podSecurityViolations(hardened, 'restricted')).toEqual([])
  })
})

describe('drift between the deployed runner and the file', () => {
  it('global keys from chart values, runner keys from the TOML; tokens and templated values are never compared', () => {
    const items = configDrift({
      deployedGlobal: {concurrent: 4, check_interval: 3},
      deployedRunners: [{token: 'glrt-deployed', kubernetes: {namespace: 'gitlab-runner', cpu_limit: '2', privileged: true}}],
      toml: {runners: [{token: 'glrt-here', kubernetes: {namespace: '{{.Release.Namespace}}', cpu_limit: '1'}}]},
      values: {concurrent: 10, checkInterval: 3},
    })
    expect(items).toEqual([
      {key: 'concurrent', deployed: '4', here: '10', pointer: '/concurrent', inValues: true},
      {key: 'runners[0].kubernetes.cpu_limit', deployed: '"2"', here: '"1"', pointer: '/runners/0/kubernetes/cpu_limit', inValues: false},
      {key: 'runners[0].kubernetes.privileged', deployed: 'true', here: 'not set', pointer: '/runners/0/kubernetes', inValues: false},
    ])
  })

  it('a standalone config.toml against a ConfigMap holding a whole config.toml: global and runner keys from the TOML', () => {
    const deployed = {concurrent: 4, runners: [{name: 'k8s', executor: 'kubernetes', kubernetes: {cpu_limit: '1'}}]}
    expect(
      configDrift({
        deployedGlobal: deployed,
        deployedRunners: deployed.runners,
        toml: {concurrent: 10, runners: [{name: 'k8s', executor: 'kubernetes', kubernetes: {cpu_limit: '1'}}]},
      }),
    ).toEqual([{key: 'concurrent', deployed: '4', here: '10', pointer: '/concurrent', inValues: false}])
  })

  it('environment entries are compared by name, and their values never shown', () => {
    const [item] = configDrift({
      deployedGlobal: {},
      deployedRunners: [{environment: ['DOCKER_HOST=tcp://docker:2376', 'API_TOKEN=deployed-secret-value']}],
      toml: {runners: [{environment: ['DOCKER_HOST=tcp://docker:2375', 'FOO=bar']}]},
    })
    expect(item).toMatchObject({
      key: 'runners[0].environment',
      deployed: '[DOCKER_HOST (other value), API_TOKEN] (values not shown)',
      here: '[DOCKER_HOST (other value), FOO] (values not shown)',
    })
    expect(JSON.stringify(item)).not.toMatch(/deployed-secret-value|tcp:\/\/docker/)
  })

  it('image references: docker.io and library/ are what an unqualified name means', () => {
    expect(sameImage('gitlab/gitlab-runner:v18.3.0', 'docker.io/gitlab/gitlab-runner:v18.3.0')).toBe(true)
    expect(sameImage('alpine:3.20', 'docker.io/library/alpine:3.20')).toBe(true)
    expect(sameImage('gitlab/gitlab-runner:v18.3.0', 'registry.gitlab.com/gitlab-org/gitlab-runner:v18.3.0')).toBe(false)
  })
})
