// The test bed's control plane on loopback: etcd, kube-apiserver (TLS, Node+RBAC, PodSecurity, ServiceAccount
// token signing), kube-controller-manager, kube-scheduler, a cluster DNS (dnsmasq, no upstream), a dind dockerd, and
// kwok nodes whose `node` containers run as local processes (pod-runtime.mjs) and whose exec runs locally (kwok's
// kubelet server). Every process is recorded with its PID in DIR/state.json; `down` stops exactly those.
//
//   node test/cluster/cluster.mjs up --dir DIR [--nodes N] [--port PORT]   (idempotent; waits for Ready nodes)
//   node test/cluster/cluster.mjs down --dir DIR
//   node test/cluster/cluster.mjs status --dir DIR                          (exit 1 when not running)
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:https'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'

const HERE = dirname(fileURLToPath(import.meta.url))
const SERVICE_CIDR = '10.0.0.0/24'
const CLUSTER_DOMAIN = 'cluster.local'
/** Each simulated node: what issue 11 asks for. */
const NODE_CAPACITY = {cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi'}
const DIND_PORT = 2375
const TAINTED_POOL = {label: 'ci', taint: {key: 'dedicated', value: 'ci', effect: 'NoSchedule'}}

export class ClusterError extends Error {}

function parseArgs(argv) {
  const [command, ...rest] = argv
  const options = {command, nodes: 3}
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]
    const value = () => {
      const next = rest[++i]
      if (next === undefined) throw new ClusterError(`${flag} needs a value.`)
      return next
    }
    if (flag === '--dir') options.dir = resolve(value())
    else if (flag === '--nodes') options.nodes = Number(value())
    else if (flag === '--port') options.port = Number(value())
    else throw new ClusterError(`Unknown option ${flag}. Usage: cluster.mjs up|down --dir DIR [--nodes N] [--port PORT]`)
  }
  if (!['up', 'down', 'status'].includes(command))
    throw new ClusterError('Usage: cluster.mjs up|down|status --dir DIR [--nodes N] [--port PORT]')
  if (!options.dir) throw new ClusterError('--dir DIR is required.')
  if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new ClusterError('--nodes must be a whole number of at least 1.')
  return options
}

const say = (message) => process.stderr.write(`cluster: ${message}\n`)

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

function portFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer()
    server.once('error', () => resolveFree(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)))
  })
}

function alive(pid) {
  try {
    // A zombie (exited, not yet reaped by its parent) is not running anything.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The process is still the one this cluster started (a recycled PID must never be signalled). */
function ours(entry) {
  if (!alive(entry.pid)) return false
  try {
    return readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8').includes(entry.match)
  } catch {
    return false
  }
}

function statePath(dir) {
  return join(dir, 'state.json')
}

function readState(dir) {
  try {
    return JSON.parse(readFileSync(statePath(dir), 'utf8'))
  } catch {
    return undefined
  }
}

function openssl(args, cwd) {
  const result = spawnSync('openssl', args, {cwd, encoding: 'utf8'})
  if (result.error) throw new ClusterError(`openssl is needed for the test bed's certificates: ${result.error.message}`)
  if (result.status !== 0) throw new ClusterError(`openssl ${args.join(' ')} failed: ${result.stderr}`)
}

/** A CA, the API server's serving certificate, client certificates for each component, the token signing key. */
function makePki(pki) {
  mkdirSync(pki, {recursive: true})
  if (existsSync(join(pki, 'done'))) return
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=runner-doctor-test-bed-ca',
    ],
    pki,
  )
  const sign = (name, subject, extensions) => {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], pki)
    writeFileSync(join(pki, `${name}.ext`), extensions)
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '3650',
        '-extfile',
        `${name}.ext`,
      ],
      pki,
    )
  }
  const client = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n'
  const serving = (names) =>
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${names}\n`
  sign(
    'apiserver',
    '/CN=kube-apiserver',
    serving(
      ['IP:127.0.0.1', 'IP:10.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default']
        .concat(['DNS:kubernetes.default.svc', `DNS:kubernetes.default.svc.${CLUSTER_DOMAIN}`])
        .join(','),
    ),
  )
  sign('kubelet', '/CN=kwok-kubelet', serving('IP:127.0.0.1,DNS:localhost'))
  sign('admin', '/O=system:masters/CN=kubernetes-admin', client)
  sign('apiserver-kubelet-client', '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', client)
  sign('controller-manager', '/CN=system:kube-controller-manager', client)
  sign('scheduler', '/CN=system:kube-scheduler', client)
  // kwok plays every kubelet at once, so it cannot be one system:node:NAME identity.
  sign('kwok', '/O=system:masters/CN=kwok-controller', client)
  openssl(['genrsa', '-out', 'sa.key', '2048'], pki)
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki)
  writeFileSync(join(pki, 'done'), '')
}

function kubeconfig(server, pki, user) {
  return `apiVersion: v1
kind: Config
clusters:
- name: runner-doctor-test-bed
  cluster:
    server: ${server}
    certificate-authority: ${join(pki, 'ca.crt')}
users:
- name: ${user}
  user:
    client-certificate: ${join(pki, `${user}.crt`)}
    client-key: ${join(pki, `${user}.key`)}
contexts:
- name: ${user}@runner-doctor-test-bed
  context:
    cluster: runner-doctor-test-bed
    user: ${user}
current-context: ${user}@runner-doctor-test-bed
`
}

function buildBinaries() {
  const result = spawnSync('bash', [join(HERE, 'build.sh')], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})
  if (result.status !== 0) throw new ClusterError('Building the test bed binaries failed (see above).')
  return result.stdout.trim().split('\n').at(-1)
}

function start(dir, name, argv, options = {}) {
  const log = openSync(join(dir, 'logs', `${name}.log`), 'a')
  const child = spawn(argv[0], argv.slice(1), {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: dir,
    env: {...process.env, ...options.env},
  })
  child.unref()
  return {name, pid: child.pid, match: options.match ?? argv[0]}
}

async function until(what, timeoutMs, check, processes) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await check()
    if (result) return result
    const dead = processes?.find((p) => !alive(p.pid))
    if (dead) throw new ClusterError(`${dead.name} exited while waiting for ${what}; see its log in logs/${dead.name}.log.`)
    if (Date.now() > deadline) throw new ClusterError(`Timed out after ${timeoutMs / 1000}s waiting for ${what}.`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

function etcdHealthy(port) {
  return fetch(`http://127.0.0.1:${port}/health`, {signal: AbortSignal.timeout(2000)})
    .then((r) => r.ok)
    .catch(() => false)
}

function kwokConfig(state, stagesDir) {
  const stages = ['node-initialize.yaml', 'node-heartbeat-with-lease.yaml', 'pod-ready.yaml', 'pod-delete.yaml'].map((file) =>
    readFileSync(join(stagesDir, file), 'utf8').trim(),
  )
  // Exec into any container of any pod runs the command here, as a process of kwok's (mount namespace).
  const exec = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterExec
metadata:
  name: local
spec:
  execs:
  - local:
      workDir: ${join(state.dir, 'pods')}`
  return [...stages, exec].join('\n---\n') + '\n'
}

/** Debian dnsmasq as the cluster DNS: cluster names answered locally, nothing forwarded anywhere. */
function clusterDnsArgs(address, pidFile) {
  return [
    '--keep-in-foreground',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--port=53',
    `--listen-address=${address}`,
    '--bind-interfaces',
    `--pid-file=${pidFile}`,
    '--log-facility=-',
    '--cache-size=0',
    '--user=root',
    `--local=/${CLUSTER_DOMAIN}/`,
    `--host-record=kubernetes.default.svc.${CLUSTER_DOMAIN},127.0.0.1`,
  ]
}

/** argv prefix: run the command in a mount namespace of its own where /etc/resolv.conf and /etc/hosts are these files. */
export function inMountNamespace(resolvConf, hosts) {
  const script = 'r=$1; h=$2; shift 2; mount --bind "$r" /etc/resolv.conf && mount --bind "$h" /etc/hosts && exec "$@"'
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'container', resolvConf, hosts]
}

function dockerdBinary() {
  const found = spawnSync('sh', ['-c', 'command -v dockerd'], {encoding: 'utf8'}).stdout.trim()
  if (!found) throw new ClusterError("dockerd is not installed (the pods' dind service); run `bash test/support/system-deps.sh`.")
  return found
}

function dnsmasqBinary() {
  const found = spawnSync('sh', ['-c', 'command -v dnsmasq || ls /usr/sbin/dnsmasq'], {encoding: 'utf8'}).stdout.trim().split('\n')[0]
  if (!found) throw new ClusterError('dnsmasq is not installed (the cluster DNS); run `bash test/support/system-deps.sh`.')
  return found
}

async function freeDnsAddress() {
  const {createSocket} = await import('node:dgram')
  for (let attempt = 0; attempt < 20; attempt++) {
    const octet = () => 1 + Math.floor(Math.random() * 254)
    const address = `127.${200 + Math.floor(Math.random() * 50)}.${octet()}.${octet()}`
    const free = await new Promise((r) => {
      const socket = createSocket('udp4')
      socket.once('error', () => r(false))
      socket.bind(53, address, () => socket.close(() => r(true)))
    })
    if (free) return address
  }
  throw new ClusterError('No free loopback address for the cluster DNS.')
}

/** One JSON call to the test bed's API server with a client certificate; non-JSON bodies become {message}. */
export function apiRequest({port, tls}, method, path, body, contentType = 'application/json') {
  return new Promise((resolveCall, reject) => {
    const req = request(
      `https://127.0.0.1:${port}${path}`,
      {method, ...tls, headers: {'content-type': contentType}, timeout: 10_000},
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => {
          let parsed
          try {
            parsed = text ? JSON.parse(text) : undefined
          } catch {
            parsed = {message: text.trim()}
          }
          resolveCall({status: res.statusCode, body: parsed})
        })
      },
    )
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)))
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** TLS options for a client certificate of this test bed (admin, kwok, ...). */
export function clientTls(pki, user) {
  return {ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, `${user}.crt`)), key: readFileSync(join(pki, `${user}.key`))}
}

function apiJson(state, method, path, body) {
  return apiRequest({port: state.ports.apiserver, tls: clientTls(join(state.dir, 'pki'), 'admin')}, method, path, body)
}

function nodeObject(name, pool) {
  const tainted = pool === TAINTED_POOL.label
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: {'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0'},
      labels: {'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node-pool': pool, type: 'kwok'},
    },
    spec: tainted ? {taints: [TAINTED_POOL.taint]} : {},
    status: {capacity: NODE_CAPACITY, allocatable: NODE_CAPACITY},
  }
}

/** Node names: the last node forms the tainted pool (node-pool=ci, dedicated=ci:NoSchedule), the rest are general. */
export function nodePlan(count) {
  return Array.from({length: count}, (_, i) => ({name: `node-${i}`, pool: count > 1 && i === count - 1 ? TAINTED_POOL.label : 'general'}))
}

async function registerNodes(state) {
  for (const {name, pool} of nodePlan(state.nodes)) {
    const created = await apiJson(state, 'POST', '/api/v1/nodes', nodeObject(name, pool))
    if (created.status !== 201 && created.status !== 409)
      throw new ClusterError(`Registering node ${name} failed: HTTP ${created.status} ${created.body?.message ?? ''}`)
  }
  // Ready, and the controller manager has lifted the not-ready taint every new node starts with.
  await until(
    `${state.nodes} node(s) to be Ready and untainted`,
    120_000,
    async () => {
      const list = await apiJson(state, 'GET', '/api/v1/nodes')
      const ready = (list.body?.items ?? []).filter(
        (n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          !(n.spec?.taints ?? []).some((t) => t.key.startsWith('node.kubernetes.io/')),
      )
      return ready.length >= state.nodes
    },
    state.processes,
  )
}

async function running(state) {
  if (!state || !state.processes.every(ours)) return false
  const ready = await apiJson(state, 'GET', '/readyz').catch(() => ({}))
  return ready.status === 200
}

async function up(options) {
  const dir = options.dir
  const previous = readState(dir)
  if (previous && (await running(previous))) {
    say(`already running: API https://127.0.0.1:${previous.ports.apiserver}, kubeconfig ${join(dir, 'kubeconfig')}.`)
    return previous
  }
  if (previous) {
    say('a previous run in this directory is not healthy; stopping what is left of it and starting afresh.')
    await down({dir})
  }
  const wanted = options.port ?? previous?.ports.apiserver
  if (options.port !== undefined && !(await portFree(options.port))) {
    throw new ClusterError(
      `Port 127.0.0.1:${options.port} is already in use by another process; pick another --port ` +
        `or stop that process (a cluster of this test bed: npm run cluster:down -- --dir ITS_DIR).`,
    )
  }
  const started = Date.now()
  const bin = buildBinaries()
  mkdirSync(join(dir, 'logs'), {recursive: true})
  mkdirSync(join(dir, 'pods'), {recursive: true})
  rmSync(join(dir, 'etcd'), {recursive: true, force: true})
  const pki = join(dir, 'pki')
  makePki(pki)
  const ports = {
    apiserver: wanted && (await portFree(wanted)) ? wanted : await freePort(),
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
  }
  const dnsAddress = await freeDnsAddress()
  const server = `https://127.0.0.1:${ports.apiserver}`
  for (const user of ['admin', 'controller-manager', 'scheduler', 'kwok'])
    writeFileSync(join(dir, `${user}.kubeconfig`), kubeconfig(server, pki, user))
  writeFileSync(join(dir, 'kubeconfig'), kubeconfig(server, pki, 'admin'))
  const state = {dir, bin, ports, dnsAddress, nodes: options.nodes, processes: []}
  const save = () => writeFileSync(statePath(dir), JSON.stringify(state, null, 2) + '\n')
  const launch = (name, argv, extra) => {
    state.processes.push(start(dir, name, argv, extra))
    save()
  }

  try {
    launch('etcd', [
      join(bin, 'etcd'),
      `--data-dir=${join(dir, 'etcd')}`,
      `--client-port=${ports.etcdClient}`,
      `--peer-port=${ports.etcdPeer}`,
    ])
    await until('etcd', 30_000, () => etcdHealthy(ports.etcdClient), state.processes)

    launch('kube-apiserver', [
      join(bin, 'kube-apiserver'),
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
      `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
      `--client-ca-file=${join(pki, 'ca.crt')}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction,PodSecurity',
      // dind needs privileged containers; a real cluster's kubelet/apiserver allow them by default too.
      '--allow-privileged=true',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      `--kubelet-client-certificate=${join(pki, 'apiserver-kubelet-client.crt')}`,
      `--kubelet-client-key=${join(pki, 'apiserver-kubelet-client.key')}`,
      `--kubelet-certificate-authority=${join(pki, 'ca.crt')}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '--endpoint-reconciler-type=none',
    ])
    await until(
      'the API server',
      90_000,
      async () => (await apiJson(state, 'GET', '/readyz').catch(() => ({}))).status === 200,
      state.processes,
    )

    const common = ['--bind-address=127.0.0.1', '--leader-elect=false', '--profiling=false']
    launch('kube-controller-manager', [
      join(bin, 'kube-controller-manager'),
      ...common,
      `--secure-port=${ports.controllerManager}`,
      `--kubeconfig=${join(dir, 'controller-manager.kubeconfig')}`,
      `--authentication-kubeconfig=${join(dir, 'controller-manager.kubeconfig')}`,
      `--authorization-kubeconfig=${join(dir, 'controller-manager.kubeconfig')}`,
      `--root-ca-file=${join(pki, 'ca.crt')}`,
      `--service-account-private-key-file=${join(pki, 'sa.key')}`,
      '--use-service-account-credentials=true',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
    ])
    launch('kube-scheduler', [
      join(bin, 'kube-scheduler'),
      ...common,
      `--secure-port=${ports.scheduler}`,
      `--kubeconfig=${join(dir, 'scheduler.kubeconfig')}`,
      `--authentication-kubeconfig=${join(dir, 'scheduler.kubeconfig')}`,
      `--authorization-kubeconfig=${join(dir, 'scheduler.kubeconfig')}`,
    ])

    writeFileSync(join(dir, 'dnsmasq.pid'), '')
    launch('cluster-dns', [dnsmasqBinary(), ...clusterDnsArgs(dnsAddress, join(dir, 'dnsmasq.pid'))])

    // kwok serves the logs of the containers pod-runtime.mjs runs through Logs objects; Exec objects give one pod's
    // containers their own environment (an image without node, say). Both are kwok CRDs.
    const stagesDir = join(bin, '..', 'kwok')
    for (const kind of ['logs', 'execs']) {
      const crd = await apiJson(
        state,
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        parseYaml(readFileSync(join(stagesDir, `kwok.x-k8s.io_${kind}.yaml`), 'utf8')),
      )
      if (crd.status !== 201 && crd.status !== 409)
        throw new ClusterError(`Installing kwok's ${kind} CRD failed: HTTP ${crd.status} ${crd.body?.message ?? ''}`)
      await until(
        `the ${kind} CRD`,
        30_000,
        async () => (await apiJson(state, 'GET', `/apis/kwok.x-k8s.io/v1alpha1/${kind}`)).status === 200,
      )
    }
    writeFileSync(join(dir, 'kwok.yaml'), kwokConfig(state, stagesDir))
    // Exec runs commands as kwok's children: give them a node's view of DNS (the cluster DNS), never the host's.
    mkdirSync(join(dir, 'node-etc'), {recursive: true})
    writeFileSync(
      join(dir, 'node-etc', 'resolv.conf'),
      `search default.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${dnsAddress}\noptions ndots:5\n`,
    )
    writeFileSync(join(dir, 'node-etc', 'hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n')
    launch(
      'kwok',
      [
        ...inMountNamespace(join(dir, 'node-etc', 'resolv.conf'), join(dir, 'node-etc', 'hosts')),
        join(bin, 'kwok'),
        `--config=${join(dir, 'kwok.yaml')}`,
        `--kubeconfig=${join(dir, 'kwok.kubeconfig')}`,
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        `--server-address=127.0.0.1:${ports.kwok}`,
        '--node-ip=127.0.0.1',
        `--node-port=${ports.kwok}`,
        `--tls-cert-file=${join(pki, 'kubelet.crt')}`,
        `--tls-private-key-file=${join(pki, 'kubelet.key')}`,
        '--node-lease-duration-seconds=40',
        '--enable-crds=Logs,Exec',
        '--cidr=10.244.0.0/16',
      ],
      {match: join(bin, 'kwok')},
    )
    // The pods' Docker-in-Docker service: one real dockerd on 127.0.0.1:2375 (pods share the host loopback here,
    // as the dind service shares the pod's). Without it every mirror pod would wait a minute for a daemon.
    state.dind = (await portFree(DIND_PORT)) ? `tcp://127.0.0.1:${DIND_PORT}` : undefined
    if (state.dind) {
      // Its roots sit under the temp dir, not the clone: containerd's sockets live under the exec root, and a unix
      // socket path is limited to 104 bytes, which a clone in a deep directory exceeds.
      state.dindRoot = mkdtempSync(join(tmpdir(), 'rd-dind-'))
      launch('dind', [
        dockerdBinary(),
        '-H',
        state.dind,
        '--tls=false',
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--storage-driver=vfs',
        `--data-root=${join(state.dindRoot, 'data')}`,
        `--exec-root=${join(state.dindRoot, 'exec')}`,
        `--pidfile=${join(state.dindRoot, 'dockerd.pid')}`,
      ])
    } else {
      say(`127.0.0.1:${DIND_PORT} is in use (another cluster of this test bed?): this cluster's pods get no dind service.`)
    }
    launch('pod-runtime', [process.execPath, join(HERE, 'pod-runtime.mjs'), '--dir', dir], {match: 'pod-runtime.mjs'})

    if (state.dind)
      await until(
        'the dind service (dockerd)',
        60_000,
        () =>
          fetch(`http://127.0.0.1:${DIND_PORT}/_ping`, {signal: AbortSignal.timeout(2000)})
            .then((r) => r.ok)
            .catch(() => false),
        state.processes,
      )
    await registerNodes(state)
    const sa = async () => (await apiJson(state, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200
    await until('the default ServiceAccount', 60_000, sa, state.processes)
    save()
    const version = (await apiJson(state, 'GET', '/version')).body?.gitVersion
    say(
      `up in ${((Date.now() - started) / 1000).toFixed(1)}s: kube-apiserver ${version} at ${server}, ${state.nodes} ` +
        `node(s) Ready, cluster DNS ${dnsAddress}, dind ${state.dind ?? 'none'}, kubeconfig ${join(dir, 'kubeconfig')}.`,
    )
    return state
  } catch (error) {
    say(`start failed; stopping what was started. Logs: ${join(dir, 'logs')}`)
    await down({dir})
    throw error
  }
}

function signalGroup(entry, signal) {
  try {
    process.kill(-entry.pid, signal)
  } catch {
    try {
      process.kill(entry.pid, signal)
    } catch {
      // already gone
    }
  }
}

async function stopAll(entries) {
  for (const entry of entries) signalGroup(entry, 'SIGTERM')
  const deadline = Date.now() + 10_000
  while (entries.some((p) => alive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  for (const entry of entries.filter((p) => alive(p.pid))) {
    say(`${entry.name} (pid ${entry.pid}) ignored SIGTERM for 10 s; killing it.`)
    signalGroup(entry, 'SIGKILL')
  }
}

/**
 * dockerd bind-mounts its data root onto itself and leaves that mount behind when it dies before its shutdown (a
 * containerd that would not start, a SIGKILL); unmount what is left under the root, deepest first, then remove it.
 */
function removeDindRoot(root) {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point) => point !== undefined && (point === root || point.startsWith(`${root}/`)))
    .sort((a, b) => b.length - a.length)
  for (const point of mountPoints) {
    const result = spawnSync('umount', ['--lazy', point], {encoding: 'utf8'})
    if (result.status !== 0) say(`could not unmount ${point} (${result.stderr.trim()}); remove it by hand.`)
  }
  rmSync(root, {recursive: true, force: true})
}

async function down(options) {
  const state = readState(options.dir)
  if (!state) {
    say(`nothing to stop in ${options.dir}.`)
    return
  }
  // Clients first, then the API server, then etcd: each stops cleanly when what it talks to is still there.
  const mine = state.processes.filter(ours)
  const stages = [
    mine.filter((p) => p.name !== 'kube-apiserver' && p.name !== 'etcd'),
    mine.filter((p) => p.name === 'kube-apiserver'),
    mine.filter((p) => p.name === 'etcd'),
  ]
  for (const stage of stages) await stopAll(stage)
  if (state.dindRoot) removeDindRoot(state.dindRoot)
  rmSync(statePath(options.dir), {force: true})
  say(`stopped ${mine.length} process(es) of ${options.dir}.`)
}

export async function main(argv) {
  const options = parseArgs(argv)
  if (options.command === 'up') return up(options)
  if (options.command === 'down') return down(options)
  const state = readState(options.dir)
  const healthy = await running(state)
  process.stdout.write(`${healthy ? 'running' : 'not running'}\n`)
  if (!healthy) process.exitCode = 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`cluster: ${error instanceof ClusterError ? error.message : error.stack}\n`)
    process.exit(error instanceof ClusterError ? 2 : 1)
  })
}
