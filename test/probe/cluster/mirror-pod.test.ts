// Uses the fake's validatePod as a fast offline check of pod shapes; the real API server's dry run judges the same
// pods in test/probe/real-cluster.
import {describe, expect, it} from '@jest/globals'
import {Pod} from 'kubernetes-models/v1'
import {validatePod} from '../../fake-kube/admission.js'
import {serviceAliases} from '../../../src/model/executor/services.js'
import {AGENT_ARGV_NAME, buildMirrorPod, type RunnerSettings} from '../../../src/probe/cluster/mirror-pod.js'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {readRunnerSettings} from '../../../src/probe/cluster/runner-settings.js'

const NOW = new Date('2026-11-29T10:00:00Z')

/** Goes through the same reader as `--config`. */
async function settingsFrom(toml: string): Promise<RunnerSettings> {
  const path = join(mkdtempSync(join(tmpdir(), 'rd-mirror-')), 'config.toml')
  writeFileSync(path, toml)
  return readRunnerSettings(path)
}

async function podFor(toml: string, overrides: Partial<Parameters<typeof buildMirrorPod>[0]> = {}) {
  const runner = await settingsFrom(toml)
  const pod = buildMirrorPod({
    runner,
    runId: 'abcd1234',
    name: 'rd-probe-abcd1234',
    namespace: 'ci',
    agentSource: 'console.log(1)',
    agentOptions: {targets: ['example.test']},
    deadlineSeconds: 480,
    now: NOW,
    ...overrides,
  })
  // Both the published schema and the API server's own field checks must accept it.
  new Pod(pod as ConstructorParameters<typeof Pod>[0]).validate()
  validatePod(pod)
  return pod
}

const runner = (kubernetes: string, environment = '"DOCKER_TLS_CERTDIR=/certs", "DOCKER_HOST=tcp://docker:2376"') => `
[[runners]]
  name = "k8s"
  url = "https://gitlab.example.com"
  executor = "kubernetes"
  environment = [${environment}, "API_TOKEN=secret-value"]
  [runners.kubernetes]
${kubernetes}
`

describe('buildMirrorPod', () => {
  it('privileged dind with TLS: shared /certs/client, DOCKER_TLS_CERTDIR, hostAliases, labels, expiry, deadline', async () => {
    const pod = await podFor(
      runner(`    namespace = "ci"
    privileged = true
    service_account = "runner-jobs"
    image_pull_secrets = ["regcred"]
    [[runners.kubernetes.services]]
      name = "docker:dind"
    [[runners.kubernetes.volumes.empty_dir]]
      name = "docker-certs"
      mount_path = "/certs/client"
      medium = "Memory"`),
    )
    const [build, helper, dind] = pod.spec!.containers
    expect(build!.command!.slice(0, 4)).toEqual(['node', '-e', 'console.log(1)', AGENT_ARGV_NAME])
    expect(JSON.parse(build!.command![4]!)).toEqual({targets: ['example.test']})
    expect(build!.env).toEqual(
      expect.arrayContaining([
        {name: 'DOCKER_HOST', value: 'tcp://docker:2376'},
        {name: 'DOCKER_TLS_CERTDIR', value: '/certs'},
      ]),
    )
    expect(JSON.stringify(pod)).not.toContain('secret-value')
    expect(helper!.name).toBe('helper')
    expect(dind).toMatchObject({
      name: 'docker',
      image: 'docker:dind',
      securityContext: {privileged: true, capabilities: {drop: ['NET_RAW']}},
    })
    // Services get the job's variables, as the runner passes them (GetServiceVariables), and dind its cert dir.
    expect(dind!.env).toEqual([
      {name: 'DOCKER_TLS_CERTDIR', value: '/certs'},
      {name: 'DOCKER_HOST', value: 'tcp://docker:2376'},
    ])
    // The runner's scripts, logs and builds volumes around the configured one, in every container.
    for (const container of [...pod.spec!.containers, ...pod.spec!.initContainers!]) {
      expect(container.volumeMounts).toEqual([
        {name: 'scripts', mountPath: '/scripts-0-0'},
        {name: 'logs', mountPath: '/logs-0-0'},
        {name: 'docker-certs', mountPath: '/certs/client'},
        {name: 'repo', mountPath: '/builds'},
      ])
    }
    expect(pod.spec!.volumes).toEqual([
      {name: 'docker-certs', emptyDir: {medium: 'Memory'}},
      {name: 'repo', emptyDir: {}},
      {name: 'scripts', emptyDir: {}},
      {name: 'logs', emptyDir: {}},
    ])
    expect(pod.spec!.hostAliases).toEqual([{ip: '127.0.0.1', hostnames: ['docker']}])
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Never',
      activeDeadlineSeconds: 480,
      serviceAccountName: 'runner-jobs',
      imagePullSecrets: [{name: 'regcred'}],
      automountServiceAccountToken: false,
    })
    expect(pod.metadata!.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'runner-doctor',
      'runner-doctor/probe': 'true',
      'runner-doctor/run-id': 'abcd1234',
    })
    expect(pod.metadata!.annotations!['runner-doctor/expires-at']).toBe('2026-11-29T10:09:00Z')
  })

  it('no TLS: DOCKER_TLS_CERTDIR empty and no cert volume', async () => {
    const pod = await podFor(
      runner(
        '    privileged = true' +
          `
    [[runners.kubernetes.services]]
      name = "docker:dind"`,
        '"DOCKER_TLS_CERTDIR=", "DOCKER_HOST=tcp://docker:2375"',
      ),
    )
    expect(pod.spec!.containers[2]!.env).toContainEqual({name: 'DOCKER_TLS_CERTDIR', value: ''})
    expect(pod.spec!.volumes!.map((v) => v.name)).toEqual(['repo', 'scripts', 'logs'])
  })

  it('dns_policy none with nameservers, searches and options', async () => {
    const pod = await podFor(
      runner(`    dns_policy = "none"
    [runners.kubernetes.dns_config]
      nameservers = ["10.0.0.10", "1.1.1.1"]
      searches = ["corp.example"]
      [[runners.kubernetes.dns_config.options]]
        name = "ndots"
        value = "2"
      [[runners.kubernetes.dns_config.options]]
        name = "edns0"`),
    )
    expect(pod.spec!.dnsPolicy).toBe('None')
    expect(pod.spec!.dnsConfig).toEqual({
      nameservers: ['10.0.0.10', '1.1.1.1'],
      searches: ['corp.example'],
      options: [{name: 'ndots', value: '2'}, {name: 'edns0'}],
    })
  })

  it('maps every runner dns_policy and leaves unknown ones to the cluster default', async () => {
    for (const [value, expected] of [
      ['cluster-first', 'ClusterFirst'],
      ['cluster-first-with-host-net', 'ClusterFirstWithHostNet'],
      ['default', 'Default'],
      ['ClusterFirst', undefined],
    ]) {
      expect((await podFor(runner(`    dns_policy = "${value}"`))).spec!.dnsPolicy).toBe(expected)
    }
  })

  it('node selector, tolerations (Equal and Exists), host aliases and pinning to a node', async () => {
    const pod = await podFor(
      runner(`    [runners.kubernetes.node_selector]
      "node-pool" = "ci"
    [runners.kubernetes.node_tolerations]
      "dedicated=ci" = "NoSchedule"
      "spot" = ""
    [[runners.kubernetes.host_aliases]]
      ip = "127.0.0.2"
      hostnames = ["registry.local"]`),
      {hostname: 'node-b'},
    )
    expect(pod.spec!.nodeSelector).toEqual({'node-pool': 'ci', 'kubernetes.io/hostname': 'node-b'})
    expect(pod.spec!.tolerations).toEqual([
      {key: 'dedicated', operator: 'Equal', value: 'ci', effect: 'NoSchedule'},
      {key: 'spot', operator: 'Exists'},
    ])
    // No service, so no service alias entry: the runner's host_aliases come first.
    expect(pod.spec!.hostAliases).toEqual([{ip: '127.0.0.2', hostnames: ['registry.local']}])
  })

  it('resources for build, helper and service containers', async () => {
    const pod = await podFor(
      runner(`    cpu_request = "500m"
    cpu_limit = "1"
    memory_request = "512Mi"
    memory_limit = "1Gi"
    helper_cpu_request = "100m"
    helper_memory_limit = "128Mi"
    service_cpu_request = "1"
    service_memory_request = "1Gi"
    service_memory_limit = "2Gi"
    [[runners.kubernetes.services]]
      name = "docker:dind"`),
    )
    const [build, helper, dind] = pod.spec!.containers
    expect(build!.resources).toEqual({requests: {cpu: '500m', memory: '512Mi'}, limits: {cpu: '1', memory: '1Gi'}})
    expect(helper!.resources).toEqual({requests: {cpu: '100m'}, limits: {memory: '128Mi'}})
    expect(dind!.resources).toEqual({requests: {cpu: '1', memory: '1Gi'}, limits: {memory: '2Gi'}})
  })

  it('a dind service declared in the runner config keeps its alias and --mtu command', async () => {
    const pod = await podFor(
      runner(`    privileged = true
    [[runners.kubernetes.services]]
      name = "registry.example.com/mirror/docker:27-dind"
      alias = "docker"
      command = ["--mtu=1450"]`),
    )
    const dind = pod.spec!.containers[2]!
    expect(dind).toMatchObject({name: 'docker', image: 'registry.example.com/mirror/docker:27-dind', args: ['--mtu=1450']})
    expect(pod.spec!.hostAliases![0]!.hostnames).toEqual(['docker', 'registry.example.com-mirror-docker'])
  })

  it('derives service aliases as the runner does (the __ form is not a valid host name)', async () => {
    expect(serviceAliases('docker:dind')).toEqual(['docker'])
    expect(serviceAliases('registry.example.com/group/docker:27-dind')).toEqual(['registry.example.com-group-docker'])
  })

  it('is rejected by the API server checks when the runner settings are invalid', async () => {
    const settings = await settingsFrom(runner('    dns_policy = "none"'))
    const pod = buildMirrorPod({
      runner: settings,
      runId: 'abcd1234',
      name: 'rd-probe-abcd1234',
      namespace: 'ci',
      agentSource: '1',
      agentOptions: {},
      deadlineSeconds: 60,
      now: NOW,
    })
    expect(() => validatePod(pod)).toThrow(
      'Pod "rd-probe-abcd1234" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    )
  })
})
