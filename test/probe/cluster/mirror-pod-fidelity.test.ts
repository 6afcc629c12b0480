// Uses the fake's validatePod as a fast offline check of pod shapes; the real API server's dry run judges the same
// pods in test/probe/real-cluster.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from '@jest/globals'
import {Pod} from 'kubernetes-models/v1'
import {validatePod} from '../../fake-kube/admission.js'
import {
  buildMirrorPod,
  buildMirrorPodWithNotes,
  DIND_CONTAINER_ANNOTATION,
  runnerNamespace,
  type RunnerSettings,
} from '../../../src/probe/cluster/mirror-pod.js'
import {MIRRORED_SETTINGS, UNMIRRORED_SETTINGS} from '../../../src/probe/cluster/mirror-pod-settings.js'
import {PodSpecPatchError} from '../../../src/model/executor/pod-spec-patch.js'
import {REPO_ROOT} from './helpers.js'
import {everySettingRunner} from './every-setting.js'

const NOW = new Date('2026-11-29T10:00:00Z')

function build(runner: RunnerSettings) {
  return buildMirrorPodWithNotes({
    runner,
    runId: 'abcd1234',
    name: 'rd-probe-abcd1234',
    namespace: 'ci-jobs',
    agentSource: 'void 0',
    agentOptions: {},
    deadlineSeconds: 300,
    now: NOW,
    runnerVersion: '18.6.1',
  })
}

describe('the mirror pod carries every setting the executor turns into the job pod', () => {
  it('a config using every setting: each one lands where the executor puts it, and the pod passes the API schema and field checks', () => {
    const {pod, notes} = build(everySettingRunner())
    new Pod(pod as ConstructorParameters<typeof Pod>[0]).validate()
    validatePod(pod)
    const spec = pod.spec!
    const [build_, helper, dind, postgres] = spec.containers
    const init = spec.initContainers![0]!
    expect(spec.containers.map((c) => c.name)).toEqual(['build', 'helper', 'docker', 'postgres'])
    expect(pod.metadata!.annotations![DIND_CONTAINER_ANNOTATION]).toBe('docker')
    // Helper image: the default for the release and the flavor, in helper and init-permissions.
    expect(helper!.image).toBe('registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:ubuntu-x86_64-v18.6.1')
    expect(init).toMatchObject({
      name: 'init-permissions',
      image: helper!.image,
      securityContext: {runAsUser: 0},
      resources: {requests: {cpu: '50m'}, limits: {memory: '128Mi'}},
    })
    expect(init.command).toEqual(['sh', '-c', 'touch /var/tmp/logs-0-0/output.log && (chmod 777 /var/tmp/logs-0-0/output.log || exit 0)'])
    // Security contexts: runner-wide privileged/escalation/caps under each container's own.
    expect(build_!.securityContext).toEqual({
      capabilities: {add: ['SYS_PTRACE'], drop: ['NET_RAW', 'MKNOD']},
      privileged: false,
      allowPrivilegeEscalation: true,
      runAsUser: 1000,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      seLinuxOptions: {type: 'container_t'},
      seccompProfile: {type: 'RuntimeDefault'},
      appArmorProfile: {type: 'Localhost', localhostProfile: 'ci-build'},
    })
    expect(helper!.securityContext).toEqual({
      capabilities: {add: ['SYS_PTRACE'], drop: ['ALL']},
      privileged: true,
      allowPrivilegeEscalation: true,
      runAsUser: 2000,
    })
    expect(dind!.securityContext).toEqual({
      capabilities: {add: ['SYS_PTRACE'], drop: ['NET_RAW', 'MKNOD']},
      privileged: true,
      allowPrivilegeEscalation: true,
      seccompProfile: {type: 'Unconfined'},
    })
    expect(postgres!.securityContext).toEqual(dind!.securityContext)
    expect(spec.securityContext).toEqual({
      fsGroup: 65533,
      runAsGroup: 65533,
      supplementalGroups: [44],
      seLinuxOptions: {type: 'spc_t'},
      seccompProfile: {type: 'RuntimeDefault'},
    })
    // Scheduling.
    expect(spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/os', operator: 'In', values: ['linux']}]}],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          {weight: 10, preference: {matchExpressions: [{key: 'pool', operator: 'In', values: ['ci']}]}},
        ],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: 'topology.kubernetes.io/zone',
            namespaces: ['ci-jobs'],
            labelSelector: {matchExpressions: [{key: 'app', operator: 'Exists'}]},
          },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {weight: 50, podAffinityTerm: {topologyKey: 'kubernetes.io/hostname', labelSelector: {matchLabels: {team: 'platform'}}}},
        ],
      },
    })
    expect(spec).toMatchObject({
      runtimeClassName: 'gvisor',
      priorityClassName: 'ci-high',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'runner-jobs',
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 7,
      nodeSelector: {'kubernetes.io/os': 'linux'},
      dnsPolicy: 'ClusterFirst',
      dnsConfig: {nameservers: ['127.0.0.53'], searches: ['corp.example'], options: [{name: 'ndots', value: '2'}]},
      resources: {requests: {cpu: '2'}, limits: {memory: '3Gi'}},
      shareProcessNamespace: true,
    })
    // The json patch appended to the runner's tolerations.
    // use_service_account_image_pull_secrets: the pod names none, so the ServiceAccount's apply.
    expect(spec.imagePullSecrets).toBeUndefined()
    expect(spec.tolerations).toEqual([
      {key: 'dedicated', operator: 'Equal', value: 'ci', effect: 'NoSchedule'},
      {key: 'spot', operator: 'Exists'},
    ])
    expect(build_!.env).toContainEqual({name: 'PATCHED_BY', value: 'strategic'})
    expect(build_!.resources).toEqual({requests: {cpu: '500m', memory: '256Mi'}, limits: {cpu: '1'}})
    expect(dind!.resources).toEqual({requests: {cpu: '250m'}, limits: {memory: '1Gi'}})
    for (const c of [build_!, helper!, dind!, postgres!, init]) expect(c.imagePullPolicy).toBe('IfNotPresent')
    expect(dind).toMatchObject({image: 'docker:27-dind', args: ['--mtu=1450']})
    expect(dind!.env).toContainEqual({name: 'DOCKER_TLS_CERTDIR', value: '/certs'})
    expect(spec.hostAliases).toEqual([
      {ip: '127.0.0.1', hostnames: ['docker', 'postgres']},
      {ip: '127.0.0.2', hostnames: ['registry.local']},
    ])
    // Labels NetworkPolicies select on, without the runner's own namespace.
    expect(pod.metadata!.labels).toMatchObject({team: 'platform'})
    expect(pod.metadata!.labels!['project.runner.gitlab.com/id']).toBeUndefined()
    expect(notes.join('\n')).toContain('pod_labels "project.runner.gitlab.com/id" is in the runner\'s own label namespace')
    expect(pod.metadata!.annotations).toMatchObject({'example.com/owner': 'ci'})
    // Volumes: every kind, mounted in every container at the runner's paths.
    expect(spec.volumes).toEqual([
      {name: 'docker-daemon-json', hostPath: {path: '/etc/ci/daemon.json'}},
      {name: 'registry-ca', secret: {secretName: 'registry-ca', items: [{key: 'ca.crt', path: 'ca.pem'}]}},
      {name: 'ci-cache', persistentVolumeClaim: {claimName: 'ci-cache'}},
      {name: 'dind-config', configMap: {name: 'dind-config', items: [{key: 'daemon.json', path: 'daemon.json'}]}},
      {name: 'docker-certs', emptyDir: {medium: 'Memory', sizeLimit: '16Mi'}},
      // The runner always sends fsType, empty when unset (FSType: &volume.FSType).
      {
        name: 'secrets-store',
        csi: {driver: 'secrets-store.csi.k8s.io', fsType: '', readOnly: true, volumeAttributes: {secretProviderClass: 'ci'}},
      },
      {name: 'shared', nfs: {path: '/exports/ci', server: '127.0.0.9', readOnly: false}},
      {name: 'repo', emptyDir: {}},
      {name: 'scripts', emptyDir: {}},
      {name: 'logs', emptyDir: {}},
    ])
    const expectedMounts = [
      {name: 'scripts', mountPath: '/opt/scripts-0-0'},
      {name: 'logs', mountPath: '/var/tmp/logs-0-0'},
      {name: 'docker-daemon-json', mountPath: '/etc/docker/daemon.json', readOnly: true},
      {name: 'registry-ca', mountPath: '/etc/ssl/registry', readOnly: true},
      {name: 'ci-cache', mountPath: '/cache'},
      {name: 'dind-config', mountPath: '/etc/docker/conf'},
      {name: 'docker-certs', mountPath: '/certs/client'},
      {name: 'secrets-store', mountPath: '/mnt/secrets', readOnly: true},
      {name: 'shared', mountPath: '/shared'},
      {name: 'repo', mountPath: '/builds'},
    ]
    for (const c of [build_!, helper!, dind!, postgres!, init]) expect(c.volumeMounts).toEqual(expectedMounts)
    // A kaniko job image: builder checks, and the options say so.
    expect(JSON.parse(build_!.command![4]!)).toEqual({builder: 'kaniko', daemonJson: '/etc/docker/daemon.json'})
    expect(JSON.stringify(pod)).not.toContain('do-not-leak')
  })

  it('removing any one carried setting changes the pod (so none is in the list for show)', () => {
    // A patch that no longer applies (the json patch appends to the tolerations) is a change too: the job would fail.
    const outcome = (runner: RunnerSettings) => {
      try {
        return JSON.stringify(build(runner).pod)
      } catch (error) {
        return (error as Error).message
      }
    }
    const baseline = outcome(everySettingRunner())
    // Settings that only show when a neighbour is absent: helper_image hides the flavor, and so on.
    const alsoRemove: Record<string, string[]> = {
      helper_image_flavor: [],
      image_pull_secrets: ['use_service_account_image_pull_secrets'],
    }
    for (const setting of Object.keys(MIRRORED_SETTINGS)) {
      const variant = everySettingRunner()
      const k8s = variant.kubernetes!
      if (setting === 'namespace') {
        expect(runnerNamespace(variant)).toBe('ci-jobs')
        delete k8s.namespace
        expect(runnerNamespace(variant)).toBeUndefined()
        continue
      }
      if (setting === 'helper_image') {
        k8s.helper_image = 'registry.example.com/ci/helper:pinned'
        expect(outcome(variant)).not.toBe(baseline)
        continue
      }
      if (setting === 'builds_dir') {
        variant.settings = {builds_dir: '/workspace'}
        expect(outcome(variant)).not.toBe(baseline)
        continue
      }
      for (const neighbour of alsoRemove[setting] ?? []) delete k8s[neighbour]
      const reference = alsoRemove[setting]?.length ? outcome(variant) : baseline
      if (setting.startsWith('volumes.')) delete (k8s.volumes as Record<string, unknown>)[setting.slice('volumes.'.length)]
      else {
        expect(k8s).toHaveProperty([setting])
        delete k8s[setting]
      }
      expect({setting, changed: outcome(variant) !== reference}).toEqual({setting, changed: true})
    }
  })

  it('without use_service_account_image_pull_secrets the pod names image_pull_secrets', () => {
    const runner = everySettingRunner()
    runner.kubernetes!.use_service_account_image_pull_secrets = false
    expect(build(runner).pod.spec!.imagePullSecrets).toEqual([{name: 'regcred'}])
  })

  it('pod_spec patches wait for the feature flag, as in the runner', () => {
    const runner = everySettingRunner()
    runner.environment = runner.environment!.filter((e) => !e.startsWith('FF_USE_ADVANCED'))
    const {pod, notes} = build(runner)
    expect(pod.spec!.shareProcessNamespace).toBeUndefined()
    expect(notes).toContain(
      'pod_spec patches are ignored, as the runner ignores them, because FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is off.',
    )
    runner.settings = {feature_flags: {FF_USE_ADVANCED_POD_SPEC_CONFIGURATION: true}}
    expect(build(runner).pod.spec!.shareProcessNamespace).toBe(true)
  })

  it('a patch that fails stops the build with the error the job would get', () => {
    const runner = everySettingRunner()
    runner.kubernetes!.pod_spec = [{name: 'bad', patch_type: 'json', patch: '[{"op": "replace", "path": "/nodeName/x", "value": 1}]'}]
    expect(() => build(runner)).toThrow(PodSpecPatchError)
    expect(() => build(runner)).toThrow('pod_spec "bad" (json) does not apply: path /nodeName/x does not exist')
    runner.kubernetes!.pod_spec = [{name: 'both', patch: '{}', patch_path: '/tmp/x.yaml'}]
    expect(() => build(runner)).toThrow('pod_spec "both": patch and patch_path are both set')
  })

  it('services: none in the config means no dind and no Docker checks; --no-dind drops it; --dind-image replaces it', () => {
    const runner = everySettingRunner()
    delete runner.kubernetes!.image
    const withDind = build(runner).pod
    expect(withDind.spec!.containers.map((c) => c.name)).toEqual(['build', 'helper', 'docker', 'postgres'])
    const noDind = buildMirrorPod({
      runner,
      runId: 'a',
      name: 'p',
      namespace: 'n',
      agentSource: '0',
      agentOptions: {},
      deadlineSeconds: 60,
      now: NOW,
      dind: false,
    })
    expect(noDind.spec!.containers.map((c) => c.name)).toEqual(['build', 'helper', 'postgres'])
    expect(noDind.metadata!.annotations![DIND_CONTAINER_ANNOTATION]).toBeUndefined()
    const replaced = buildMirrorPod({
      runner,
      runId: 'a',
      name: 'p',
      namespace: 'n',
      agentSource: '0',
      agentOptions: {},
      deadlineSeconds: 60,
      now: NOW,
      dindImage: 'mirror.example/docker:28-dind',
    })
    expect(replaced.spec!.containers[2]!.image).toBe('mirror.example/docker:28-dind')
    delete runner.kubernetes!.services
    runner.environment = []
    const none = buildMirrorPod({
      runner,
      runId: 'a',
      name: 'p',
      namespace: 'n',
      agentSource: '0',
      agentOptions: {},
      deadlineSeconds: 60,
      now: NOW,
    })
    expect(none.spec!.containers.map((c) => c.name)).toEqual(['build', 'helper'])
    expect(JSON.parse(none.spec!.containers[0]!.command![4]!)).toEqual({docker: false})
    expect(none.spec!.hostAliases?.[0]?.hostnames).not.toContain('docker')
  })

  it('buildah is recognised as well; an ordinary image is not a builder', () => {
    const runner = everySettingRunner()
    runner.kubernetes!.image = 'quay.io/buildah/stable:v1.38'
    expect(JSON.parse(build(runner).pod.spec!.containers[0]!.command![4]!)).toEqual({
      builder: 'buildah',
      daemonJson: '/etc/docker/daemon.json',
    })
    runner.kubernetes!.image = 'alpine:3.20'
    // The host_path volume at /etc/docker/daemon.json is in the build container too: the checks read its mtu there.
    expect(JSON.parse(build(runner).pod.spec!.containers[0]!.command![4]!)).toEqual({daemonJson: '/etc/docker/daemon.json'})
  })

  it('the docs table and the code list the same settings, each with its text', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'probe-mirror-pod.md'), 'utf8')
    const rows = (heading: RegExp) => {
      const at = doc.search(heading)
      expect(at).toBeGreaterThanOrEqual(0)
      const section = doc.slice(at).split(/\n(?=#{2,3} )/)[0]!
      return Object.fromEntries([...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]!.replaceAll('\\|', '|')]))
    }
    expect(rows(/^## The settings/m)).toEqual(MIRRORED_SETTINGS)
    expect(rows(/^### Left out/m)).toEqual(UNMIRRORED_SETTINGS)
  })
})
