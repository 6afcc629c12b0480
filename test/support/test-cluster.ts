import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Pod} from '@kubernetes/client-node'

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..')
/**
 * One control plane per test run, shared by every file that needs it; cluster-teardown.mjs stops it. Set
 * RD_TEST_CLUSTER_DIR to use a cluster started by hand (npm run cluster:up -- --dir DIR) instead.
 */
export const TEST_CLUSTER_DIR =
  process.env.RD_TEST_CLUSTER_DIR ?? join(REPO_ROOT, '.cache', 'test-cluster', process.env.RD_TEST_RUN_ID ?? `pid-${process.ppid}`)

export interface TestCluster {
  dir: string
  kubeconfigPath: string
  server: string
  /** The cluster DNS (dnsmasq on loopback) that pods' resolv.conf names. */
  dnsAddress: string
  kc: KubeConfig
  core: CoreV1Api
  rbac: RbacAuthorizationV1Api
  apps: AppsV1Api
}

let starting: Promise<TestCluster> | undefined

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(limit)
      if (code === 0) resolveRun(output)
      else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`))
    })
  })
}

/**
 * Starts the test bed (or joins the one already up for this run): builds the binaries when they are not cached and
 * fails loudly when it cannot. `flock` serialises test files that ask at the same time.
 */
export function testCluster(): Promise<TestCluster> {
  starting ??= (async () => {
    mkdirSync(TEST_CLUSTER_DIR, {recursive: true})
    const node = process.execPath
    await run(
      'flock',
      [`${TEST_CLUSTER_DIR}.lock`, node, join(REPO_ROOT, 'test', 'cluster', 'cluster.mjs'), 'up', '--dir', TEST_CLUSTER_DIR],
      40 * 60_000,
    )
    const state = JSON.parse(readFileSync(join(TEST_CLUSTER_DIR, 'state.json'), 'utf8')) as {ports: {apiserver: number}; dnsAddress: string}
    const kubeconfigPath = join(TEST_CLUSTER_DIR, 'kubeconfig')
    const kc = new KubeConfig()
    kc.loadFromFile(kubeconfigPath)
    return {
      dir: TEST_CLUSTER_DIR,
      kubeconfigPath,
      server: `https://127.0.0.1:${state.ports.apiserver}`,
      dnsAddress: state.dnsAddress,
      kc,
      core: kc.makeApiClient(CoreV1Api),
      rbac: kc.makeApiClient(RbacAuthorizationV1Api),
      apps: kc.makeApiClient(AppsV1Api),
    }
  })()
  return starting
}

/** A namespace of its own for each test (with its default ServiceAccount, which the controller manager creates). */
export async function freshNamespace(cluster: TestCluster, prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`
  await cluster.core.createNamespace({body: {metadata: {name, labels}}})
  for (let i = 0; i < 200; i++) {
    try {
      await cluster.core.readNamespacedServiceAccount({namespace: name, name: 'default'})
      return name
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`namespace ${name} got no default ServiceAccount`)
}

export async function podNames(cluster: TestCluster, namespace: string): Promise<string[]> {
  const list = await cluster.core.listNamespacedPod({namespace})
  return list.items.map((p) => p.metadata!.name!).sort()
}

/** Pod names once the ones being deleted are gone (deletion with grace 0 is immediate; this also waits for kwok). */
export async function podNamesSettled(cluster: TestCluster, namespace: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const list = await cluster.core.listNamespacedPod({namespace})
    if (!list.items.some((p) => p.metadata?.deletionTimestamp) || Date.now() > deadline)
      return list.items.map((p) => p.metadata!.name!).sort()
    await new Promise((r) => setTimeout(r, 200))
  }
}

export async function waitForPod(
  cluster: TestCluster,
  namespace: string,
  name: string,
  ready: (pod: V1Pod) => boolean,
  timeoutMs = 30_000,
): Promise<V1Pod> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const pod = await cluster.core.readNamespacedPod({namespace, name})
    if (ready(pod)) return pod
    if (Date.now() > deadline) throw new Error(`pod ${namespace}/${name} did not get there in time: ${JSON.stringify(pod.status)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * A kubeconfig that authenticates as a ServiceAccount with a token from the TokenRequest API (as a runner's pod or
 * `kubectl create token` gets one), trusting the test bed's CA.
 */
export async function serviceAccountKubeconfig(cluster: TestCluster, namespace: string, serviceAccount: string): Promise<string> {
  const request = await cluster.core.createNamespacedServiceAccountToken({
    namespace,
    name: serviceAccount,
    body: {apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {audiences: [], expirationSeconds: 3600}},
  })
  const token = request.status!.token
  const path = join(cluster.dir, `sa-${namespace}-${serviceAccount}.kubeconfig`)
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: test-bed
  cluster:
    server: ${cluster.server}
    certificate-authority: ${join(cluster.dir, 'pki', 'ca.crt')}
users:
- name: ${serviceAccount}
  user:
    token: ${token}
contexts:
- name: ${serviceAccount}
  context: {cluster: test-bed, user: ${serviceAccount}, namespace: ${namespace}}
current-context: ${serviceAccount}
`,
  )
  return path
}
