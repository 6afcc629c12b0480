#!/usr/bin/env node
// What --cluster adds to a lint, on the test bed: a real kube-apiserver with N kwok nodes (default 100), the seed
// tutorial's values deployed as a runner (namespace with PodSecurity baseline, a quota, a LimitRange, the runner's
// ServiceAccount, Role, ConfigMap, Secret and Deployment). Runs `lint examples/gitlab-runner-values.yaml` with and
// without --cluster in pairs and prints the medians, their difference (target: under 2 s) and the API calls made.
// A benchmark, not a timed test. Needs `npm run build`, Go (the test bed is built on first use) and root.
// Usage: node bench/lint-cluster.mjs [--nodes 100] [--pairs 9] [--keep]
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const index = argv.indexOf(name)
  return index >= 0 ? Number(argv[index + 1]) : fallback
}
const nodes = option('--nodes', 100)
const pairs = option('--pairs', 9)
const dir = mkdtempSync(join(tmpdir(), 'rd-bench-lint-cluster-'))
const cluster = (command, more = []) =>
  spawnSync(process.execPath, [join(root, 'test', 'cluster', 'cluster.mjs'), command, '--dir', dir, ...more], {stdio: 'inherit'})
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const upStarted = performance.now()
if (cluster('up', ['--nodes', String(nodes)]).status !== 0) process.exit(1)
console.log(`cluster up with ${nodes} nodes: ${((performance.now() - upStarted) / 1000).toFixed(1)} s`)

try {
  const {AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api} = await import('@kubernetes/client-node')
  const kc = new KubeConfig()
  kc.loadFromFile(join(dir, 'kubeconfig'))
  const core = kc.makeApiClient(CoreV1Api)
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api)
  const apps = kc.makeApiClient(AppsV1Api)
  const namespace = 'gitlab-runner'
  await core.createNamespace({body: {metadata: {name: namespace, labels: {'pod-security.kubernetes.io/enforce': 'baseline'}}}})
  await core.createNamespacedResourceQuota({namespace, body: {metadata: {name: 'ci-jobs'}, spec: {hard: {'requests.cpu': '8'}}}})
  await core.createNamespacedLimitRange({
    namespace,
    body: {metadata: {name: 'job-defaults'}, spec: {limits: [{type: 'Container', _default: {cpu: '500m'}, defaultRequest: {cpu: '100m'}}]}},
  })
  await core.createNamespacedServiceAccount({namespace, body: {metadata: {name: 'gitlab-runner'}}})
  await rbac.createNamespacedRole({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner'},
      rules: [{apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/attach', 'pods/log', 'secrets', 'events'], verbs: ['*']}],
    },
  })
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner'},
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitlab-runner'},
      subjects: [{kind: 'ServiceAccount', name: 'gitlab-runner', namespace}],
    },
  })
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner'},
      data: {
        'config.toml': 'concurrent = 4\ncheck_interval = 3\n',
        'config.template.toml': '[[runners]]\n  [runners.kubernetes]\n    privileged = true\n',
      },
    },
  })
  await core.createNamespacedSecret({namespace, body: {metadata: {name: 'gitlab-runner'}, stringData: {'runner-token': 'glrt-bench'}}})
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: {name: 'gitlab-runner', labels: {chart: 'gitlab-runner-0.80.1'}},
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
                env: [{name: 'TOKEN', valueFrom: {secretKeyRef: {name: 'gitlab-runner', key: 'runner-token'}}}],
              },
            ],
            volumes: [{name: 'configmaps', configMap: {name: 'gitlab-runner'}}],
          },
        },
      },
    },
  })

  const lint = (extra) => {
    const started = performance.now()
    const run = spawnSync(
      process.execPath,
      [join(root, 'bin', 'run.cjs'), 'lint', join(root, 'examples', 'gitlab-runner-values.yaml'), '--format', 'json', ...extra],
      {cwd: root, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
    )
    const ms = performance.now() - started
    if (run.status === 2) throw new Error(`lint could not run: ${run.stderr}`)
    return {ms, stderr: run.stderr, findings: JSON.parse(run.stdout).files[0].findings}
  }
  const withCluster = ['--cluster', '--kubeconfig', join(dir, 'kubeconfig'), '-n', namespace, '--verbose']
  lint([]) // warm the file system cache and the code cache
  const offline = []
  const online = []
  let last
  for (let i = 0; i < pairs; i++) {
    offline.push(lint([]).ms)
    last = lint(withCluster)
    online.push(last.ms)
  }
  const calls = /made (\d+) API calls/.exec(last.stderr)?.[1]
  const clusterRules = last.findings.filter((f) => f.ruleId.startsWith('cluster-')).map((f) => f.ruleId)
  const added = median(online) - median(offline)
  console.log(`lint without --cluster: median ${median(offline).toFixed(0)} ms over ${pairs} runs`)
  console.log(
    `lint with --cluster on ${nodes} nodes: median ${median(online).toFixed(0)} ms, ${calls} API ` +
      `calls, cluster findings: ${clusterRules.join(', ')}`,
  )
  console.log(`--cluster adds ${(added / 1000).toFixed(2)} s (target < 2 s): ${added < 2000 ? 'met' : 'NOT met'}`)
} finally {
  if (!argv.includes('--keep')) cluster('down')
  else console.log(`cluster left running: KUBECONFIG=${join(dir, 'kubeconfig')}; stop with npm run cluster:down -- --dir ${dir}`)
}
