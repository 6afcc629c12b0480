import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'

import {freshNamespace, REPO_ROOT, type TestCluster} from '../support/test-cluster.js'

/** The seed tutorial's values: 2 replicas × concurrent 10, privileged dind, its runners.config at lines 19-34. */
export const TUTORIAL = 'examples/gitlab-runner-values.yaml'
const TUTORIAL_TEXT = readFileSync(join(REPO_ROOT, TUTORIAL), 'utf8')
/** The tutorial's runners.config, as the chart renders it into the ConfigMap's config.template.toml. */
const tutorialRunnersConfig = (namespace: string) =>
  (parseYaml(TUTORIAL_TEXT) as {runners: {config: string}}).runners.config.replace('{{.Release.Namespace}}', namespace)

/** Everything GitLab Runner's docs list for the kubernetes executor (Configure runner API permissions). */
export const EXECUTOR_ROLE = [
  {apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch']},
  {apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get', 'delete', 'patch']},
  {apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list']},
  {apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete', 'get', 'update']},
  {apiGroups: [''], resources: ['events'], verbs: ['list', 'watch']},
  {apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get']},
]

/**
 * A namespace as the chart deploys the tutorial into it: PodSecurity baseline, a quota of 8 CPU, the runner's
 * ServiceAccount with `runnerRole`, its ConfigMap (global `concurrent` as given), token Secret and Deployment.
 */
export async function deployedRunner(
  cluster: TestCluster,
  options: {concurrent?: number; runnerRole?: typeof EXECUTOR_ROLE; limitRange?: boolean} = {},
): Promise<string> {
  const namespace = await freshNamespace(cluster, 'lint-cluster', {'pod-security.kubernetes.io/enforce': 'baseline'})
  await cluster.core.createNamespacedResourceQuota({namespace, body: {metadata: {name: 'ci-jobs'}, spec: {hard: {'requests.cpu': '8'}}}})
  if (options.limitRange) {
    await cluster.core.createNamespacedLimitRange({
      namespace,
      body: {
        metadata: {name: 'job-defaults'},
        spec: {limits: [{type: 'Container', _default: {cpu: '500m', memory: '256Mi'}, defaultRequest: {cpu: '100m', memory: '128Mi'}}]},
      },
    })
  }
  await cluster.core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'gitlab-runner'}}})
  await cluster.rbac.createNamespacedRole({
    namespace,
    body: {metadata: {name: 'gitlab-runner'}, rules: options.runnerRole ?? EXECUTOR_ROLE},
  })
  await cluster.rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner'},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitlab-runner'},
      subjects: [{kind: 'ServiceAccount', name: 'gitlab-runner', namespace}],
    },
  })
  await cluster.core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner'},
      data: {
        'config.toml': `shutdown_timeout = 0\nconcurrent = ${options.concurrent ?? 10}\ncheck_interval = 3\nlog_level = "info"\n`,
        'config.template.toml': tutorialRunnersConfig(namespace),
        entrypoint: '#!/bin/bash\nexec /entrypoint run\n',
      },
    },
  })
  await cluster.core.createNamespacedSecret({
    namespace,
    body: {metadata: {name: 'gitlab-runner'}, stringData: {'runner-token': 'glrt-never-printed-0123456789'}},
  })
  await cluster.apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: {
        name: 'gitlab-runner',
        labels: {app: 'gitlab-runner', chart: 'gitlab-runner-0.80.1', release: 'gitlab-runner', heritage: 'Helm'},
      },
      spec: {
        replicas: 0,
        selector: {matchLabels: {app: 'gitlab-runner'}},
        template: {
          metadata: {labels: {app: 'gitlab-runner'}},
          spec: {
            serviceAccountName: 'gitlab-runner',
            containers: [
              {
                name: 'gitlab-runner',
                image: 'docker.io/gitlab/gitlab-runner:v18.3.0',
                env: [{name: 'CI_SERVER_TOKEN', valueFrom: {secretKeyRef: {name: 'gitlab-runner', key: 'runner-token'}}}],
              },
            ],
            volumes: [{name: 'configmaps', configMap: {name: 'gitlab-runner'}}],
          },
        },
      },
    },
  })
  return namespace
}
