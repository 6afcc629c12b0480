// The test bed's container runtime for kwok nodes. kwok simulates a pod's life but runs nothing; this process runs
// the containers whose command is `node` (the one image the simulated nodes "have") as local processes, the way a
// kubelet would:
// - in a mount namespace of their own where /etc/resolv.conf and /etc/hosts are the pod's (dnsPolicy, dnsConfig,
//   hostAliases, with the cluster DNS of this test bed), so DNS never leaves loopback;
// - with the container's env (downward API fields resolved);
// - output in CRI log format, served by kwok's kubelet server through a Logs object;
// - its exit written to the container status, as the kubelet reports it. Ephemeral containers are started too.
// Deleting the pod kills its processes. Other containers (helper, dind) stay simulated by kwok.
import {spawn} from 'node:child_process'
import {createWriteStream, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {apiRequest, clientTls, inMountNamespace} from './cluster.mjs'

const dir = resolve(process.argv[process.argv.indexOf('--dir') + 1])
const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))
const pki = join(dir, 'pki')
const tls = clientTls(pki, 'kwok')
const CLUSTER_DOMAIN = 'cluster.local'

const api = (method, path, body, contentType) => apiRequest({port: state.ports.apiserver, tls}, method, path, body, contentType)

const log = (message) => process.stderr.write(`${new Date().toISOString()} pod-runtime: ${message}\n`)

/** The pod's resolv.conf as the kubelet writes it (cluster DNS = this test bed's dnsmasq). */
function resolvConf(pod) {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst'
  const config = pod.spec.dnsConfig ?? {}
  const clusterFirst = policy === 'ClusterFirst' || (policy === 'ClusterFirstWithHostNet' && pod.spec.hostNetwork)
  // dnsPolicy Default copies the node's resolv.conf; a simulated node's DNS is the cluster DNS too, so that nothing a
  // pod asks leaves loopback.
  const nameservers = policy === 'None' ? [] : [state.dnsAddress]
  const namespace = pod.metadata.namespace
  const searches = policy === 'None' || !clusterFirst ? [] : [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN]
  const options = policy === 'None' || !clusterFirst ? [] : ['ndots:5']
  const lines = []
  const allSearches = [...searches, ...(config.searches ?? [])]
  if (allSearches.length) lines.push(`search ${allSearches.join(' ')}`)
  for (const server of [...nameservers, ...(config.nameservers ?? [])]) lines.push(`nameserver ${server}`)
  const allOptions = [...options, ...(config.options ?? []).map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`))]
  if (allOptions.length) lines.push(`options ${allOptions.join(' ')}`)
  return lines.join('\n') + '\n'
}

function hostsFile(pod) {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `${pod.status?.podIP ?? '127.0.0.1'}\t${pod.metadata.name}`,
  ]
  for (const alias of pod.spec.hostAliases ?? [])
    lines.push(`\n# Entries added by HostAliases.\n${alias.ip}\t${alias.hostnames.join('\t')}`)
  return lines.join('\n') + '\n'
}

function fieldValue(pod, path) {
  const fields = {
    'spec.nodeName': pod.spec.nodeName,
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
  }
  return fields[path] ?? ''
}

function containerEnv(pod, container) {
  const env = {
    PATH: process.env.PATH,
    HOSTNAME: pod.metadata.name,
    HOME: '/root',
    KUBERNETES_SERVICE_HOST: '10.0.0.1',
    KUBERNETES_SERVICE_PORT: '443',
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = entry.value
    else if (entry.valueFrom?.fieldRef) env[entry.name] = fieldValue(pod, entry.valueFrom.fieldRef.fieldPath)
  }
  return env
}

/** Writes a stream to a CRI-format log file (what kwok's kubelet server reads). */
function criWriter(file, streamName) {
  let pending = ''
  const write = (line, tag) => file.write(`${new Date().toISOString()} ${streamName} ${tag} ${line}\n`)
  return {
    data(chunk) {
      pending += chunk.toString('utf8')
      let newline
      while ((newline = pending.indexOf('\n')) >= 0) {
        write(pending.slice(0, newline), 'F')
        pending = pending.slice(newline + 1)
      }
    },
    end() {
      if (pending) write(pending, 'F')
      pending = ''
    },
  }
}

/** Runs by uid/container; the processes of deleted pods are killed. */
const running = new Map()
const logsByPod = new Map()

async function upsertLogs(pod, container, file) {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`
  const entries = logsByPod.get(key) ?? []
  entries.push({containers: [container], logsFile: file, follow: false})
  logsByPod.set(key, entries)
  const body = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Logs',
    metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace},
    spec: {logs: entries},
  }
  const base = `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${pod.metadata.namespace}/logs`
  const created = await api('POST', base, body)
  if (created.status === 409) {
    const current = await api('GET', `${base}/${pod.metadata.name}`)
    const replaced = await api('PUT', `${base}/${pod.metadata.name}`, {
      ...body,
      metadata: {...body.metadata, resourceVersion: current.body.metadata.resourceVersion},
    })
    if (replaced.status >= 300) log(`Logs for ${key}: HTTP ${replaced.status} ${replaced.body?.message}`)
  } else if (created.status >= 300) log(`Logs for ${key}: HTTP ${created.status} ${created.body?.message}`)
}

/** Sets one container's state, as the kubelet's status manager does, retrying on conflicts. */
async function setContainerState(pod, container, ephemeral, containerState, extra = {}) {
  const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await api('GET', path)
    if (current.status === 404) return
    const fresh = current.body
    const field = ephemeral ? 'ephemeralContainerStatuses' : 'containerStatuses'
    const statuses = [...(fresh.status?.[field] ?? [])].filter((s) => s.name !== container.name)
    const previous = (fresh.status?.[field] ?? []).find((s) => s.name === container.name)
    statuses.push({
      ...previous,
      name: container.name,
      image: container.image,
      imageID: previous?.imageID ?? '',
      restartCount: 0,
      ...extra,
      state: containerState,
    })
    const patch = {metadata: {resourceVersion: fresh.metadata.resourceVersion}, status: {[field]: statuses}}
    const result = await api('PATCH', `${path}/status`, patch, 'application/merge-patch+json')
    if (result.status < 300 || result.status === 404) return
    if (result.status !== 409) {
      log(`status of ${pod.metadata.namespace}/${pod.metadata.name} ${container.name}: HTTP ${result.status} ${result.body?.message}`)
      return
    }
  }
}

async function startContainer(pod, container, ephemeral) {
  const key = `${pod.metadata.uid}/${container.name}`
  const podDir = join(dir, 'pods', pod.metadata.uid)
  mkdirSync(podDir, {recursive: true})
  writeFileSync(join(podDir, 'resolv.conf'), resolvConf(pod))
  writeFileSync(join(podDir, 'hosts'), hostsFile(pod))
  const logPath = join(podDir, `${container.name}.log`)
  const file = createWriteStream(logPath, {flags: 'a'})
  await upsertLogs(pod, container.name, logPath)
  const startedAt = new Date().toISOString()
  if (ephemeral) await setContainerState(pod, container, true, {running: {startedAt}}, {ready: false})
  const argv = [...(container.command ?? []), ...(container.args ?? [])]
  // The pod's own resolv.conf and hosts, in a mount namespace that only this process tree sees.
  const [command, ...prefix] = inMountNamespace(join(podDir, 'resolv.conf'), join(podDir, 'hosts'))
  const child = spawn(command, [...prefix, ...argv], {
    cwd: podDir,
    env: containerEnv(pod, container),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  running.set(key, {child, pod})
  log(`started ${pod.metadata.namespace}/${pod.metadata.name} container ${container.name} (pid ${child.pid})`)
  const out = criWriter(file, 'stdout')
  const err = criWriter(file, 'stderr')
  child.stdout.on('data', (chunk) => out.data(chunk))
  child.stderr.on('data', (chunk) => err.data(chunk))
  child.on('error', (error) => err.data(Buffer.from(`${error.message}\n`)))
  child.on('close', async (code, signal) => {
    out.end()
    err.end()
    file.end()
    const entry = running.get(key)
    if (entry?.killed) return
    const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)
    log(`${pod.metadata.namespace}/${pod.metadata.name} container ${container.name} exited with ${exitCode}`)
    await setContainerState(
      pod,
      container,
      ephemeral,
      {terminated: {exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: new Date().toISOString()}},
      {ready: false, started: false},
    ).catch((error) => log(error.message))
  })
}

const runnable = (container) => container.command?.[0] === 'node'

async function tick() {
  const list = await api('GET', '/api/v1/pods')
  if (list.status !== 200) return
  const live = new Set()
  for (const pod of list.body.items) {
    if (pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running') continue
    live.add(pod.metadata.uid)
    const candidates = [
      ...(pod.spec.containers ?? []).map((c) => [c, false]),
      ...(pod.spec.ephemeralContainers ?? []).map((c) => [c, true]),
    ]
    for (const [container, ephemeral] of candidates) {
      const key = `${pod.metadata.uid}/${container.name}`
      if (!runnable(container) || running.has(key)) continue
      running.set(key, {pod})
      startContainer(pod, container, ephemeral).catch((error) => log(`starting ${key}: ${error.message}`))
    }
  }
  for (const [key, entry] of running) {
    if (live.has(entry.pod.metadata.uid)) continue
    if (entry.child && entry.child.exitCode === null && entry.child.signalCode === null) {
      entry.killed = true
      try {
        process.kill(-entry.child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
      log(`pod ${entry.pod.metadata.namespace}/${entry.pod.metadata.name} is gone; killed container process ${entry.child.pid}`)
    }
    running.delete(key)
    logsByPod.delete(`${entry.pod.metadata.namespace}/${entry.pod.metadata.name}`)
  }
}

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true
    for (const entry of running.values()) {
      try {
        if (entry.child) process.kill(-entry.child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    process.exit(0)
  })
}

log(`watching pods through https://127.0.0.1:${state.ports.apiserver}`)
while (!stopping) {
  await tick().catch((error) => log(`tick: ${error.message}`))
  await new Promise((r) => setTimeout(r, 200))
}
