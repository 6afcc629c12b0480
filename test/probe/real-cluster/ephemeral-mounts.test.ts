import {mkdirSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from '@jest/globals'
import {CustomObjectsApi} from '@kubernetes/client-node'
import {freshNamespace, testCluster, waitForPod, type TestCluster} from '../../support/test-cluster.js'
import {runCli} from '../cluster/helpers.js'

/**
 * --ephemeral on the real API server: the ephemeral container gets the build container's mounts and its DOCKER_* and
 * CI_* variables (and nothing else of its environment), so TLS dind is checked as the job sees it.
 */
describe('--ephemeral sees what the build container sees', () => {
  let cluster: TestCluster

  beforeAll(async () => {
    cluster = await testCluster()
  }, 45 * 60_000)

  it(
    'mounts /certs/client and passes DOCKER_HOST, DOCKER_CERT_PATH and CI_SERVER_URL; leaves out ' + 'subPath mounts and other variables',
    async () => {
      const namespace = await freshNamespace(cluster, 'ephemeral')
      const name = 'runner-tls-job'
      await cluster.core.createNamespacedPod({
        namespace,
        body: {
          metadata: {name, annotations: {'job.runner.gitlab.com/id': '77'}},
          spec: {
            restartPolicy: 'Never',
            volumes: [
              {name: 'docker-certs', emptyDir: {medium: 'Memory'}},
              {name: 'repo', emptyDir: {}},
            ],
            containers: [
              {
                name: 'build',
                image: 'alpine:3.20',
                command: ['sleep', '600'],
                env: [
                  {name: 'DOCKER_HOST', value: 'tcp://docker:2376'},
                  {name: 'DOCKER_CERT_PATH', value: '/certs/client'},
                  {name: 'DOCKER_TLS_VERIFY', value: '1'},
                  {name: 'CI_SERVER_URL', value: 'https://gitlab.example.com'},
                  {name: 'DEPLOY_PASSWORD', value: 'do-not-copy'},
                ],
                volumeMounts: [
                  {name: 'docker-certs', mountPath: '/certs/client'},
                  {name: 'repo', mountPath: '/builds/cache', subPath: 'cache'},
                ],
              },
            ],
          },
        },
      })
      // exec in this pod finds no node, as in an alpine image, so the probe must add its own container.
      const bin = join(mkdtempSync(join(tmpdir(), 'rd-alpine-')), 'bin')
      mkdirSync(bin)
      for (const tool of ['sh', 'sleep']) symlinkSync(`/bin/${tool}`, join(bin, tool))
      await cluster.kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'kwok.x-k8s.io',
        version: 'v1alpha1',
        namespace,
        plural: 'execs',
        body: {
          apiVersion: 'kwok.x-k8s.io/v1alpha1',
          kind: 'Exec',
          metadata: {name, namespace},
          spec: {execs: [{local: {envs: [{name: 'PATH', value: bin}]}}]},
        },
      })
      await waitForPod(cluster, namespace, name, (pod) => pod.status?.phase === 'Running', 60_000)
      const run = await runCli(
        [
          'probe',
          '--kubeconfig',
          cluster.kubeconfigPath,
          '-n',
          namespace,
          '--pod',
          name,
          '--ephemeral',
          '--format',
          'json',
          '--poll-interval',
          '200ms',
          '--timeout',
          '500ms',
          '--dind-wait',
          '1s',
        ],
        {timeoutMs: 90_000},
      )
      expect(run.stderr).toContain(
        'Not mounted in the ephemeral container (the API server forbids subPath there): /builds/cache (subPath).',
      )
      expect(run.report?.mode).toBe('ephemeral')
      const pod = await cluster.core.readNamespacedPod({namespace, name})
      const ephemeral = pod.spec!.ephemeralContainers![0]!
      // Every mount of the build container but the subPath one, the ServiceAccount token the API server added included.
      expect(ephemeral.volumeMounts!.map((m) => m.mountPath)).toEqual(['/certs/client', '/var/run/secrets/kubernetes.io/serviceaccount'])
      expect(ephemeral.targetContainerName).toBe('build')
      expect(ephemeral.env!.map((e) => e.name)).toEqual([
        'DOCKER_HOST',
        'DOCKER_CERT_PATH',
        'DOCKER_TLS_VERIFY',
        'CI_SERVER_URL',
        'RUNNER_DOCTOR_NODE_NAME',
      ])
      expect(JSON.stringify(pod.spec!.ephemeralContainers)).not.toContain('do-not-copy')
      // The check program saw the job's Docker settings: the report's Docker checks are about tcp://docker:2376.
      const dockerEnv = run.report!.checks.find((c) => c.id === 'docker-env')!
      expect(dockerEnv.evidence.join('\n')).toContain('DOCKER_HOST="tcp://docker:2376"')
    },
    120_000,
  )
})
