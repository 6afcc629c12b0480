#!/usr/bin/env node
// Measures the probe's own overhead (start to report, no waiting for dind) against loopback servers that answer
// at once, and shows that the DNS checks run concurrently. Needs `npm run build` first, dockerd (Debian docker.io)
// and root to bind port 53 on a loopback address. Usage: node bench/probe-overhead.mjs [runs]
import {spawn, spawnSync} from 'node:child_process'
import dgram from 'node:dgram'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import * as dnsPacket from 'dns-packet'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const {runLocalProbe} = await import(join(root, 'dist/probe/local.js'))
const {resolveAgentOptions} = await import(join(root, 'dist/probe/agent/options.js'))
const {buildContext} = await import(join(root, 'dist/probe/agent/run-checks.js'))
const {dnsCheckTasks} = await import(join(root, 'dist/probe/checks/dns.js'))

const runs = Number(process.argv[2] ?? 5)
const NAMES = [
  'gitlab.bench.test',
  'registry.bench.test',
  'cache.bench.test',
  'api.bench.test',
  'pages.bench.test',
  'kubernetes.default.svc.cluster.local',
]

/** A dns-packet server answering NAMES with 127.0.0.1 (others NXDOMAIN) over UDP and TCP after `delayMs`. */
function startDnsServer(address, delayMs) {
  const answer = (query) => {
    const {name, type} = query.questions[0]
    const known = NAMES.includes(name.replace(/\.$/, ''))
    return dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
      questions: query.questions,
      answers: known && type === 'A' ? [{type: 'A', name, ttl: 30, class: 'IN', data: '127.0.0.1'}] : [],
    })
  }
  const later = (fn) => (delayMs ? setTimeout(fn, delayMs) : fn())
  const udp = dgram.createSocket('udp4')
  udp.on('message', (message, remote) => {
    const query = dnsPacket.decode(message)
    later(() => udp.send(answer(query), remote.port, remote.address))
  })
  const tcp = net.createServer((socket) => {
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk) => {
      const query = dnsPacket.decode(chunk.subarray(2))
      later(() => socket.writable && socket.end(dnsPacket.streamEncode(dnsPacket.decode(answer(query)))))
    })
  })
  return new Promise((resolve, reject) => {
    udp.once('error', reject)
    udp.bind(53, address, () =>
      tcp.listen(53, address, () => resolve({close: () => new Promise((done) => udp.close(() => tcp.close(() => done())))})),
    )
  })
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function startDockerd(dir) {
  if (spawnSync('sh', ['-c', 'command -v dockerd']).status !== 0)
    throw new Error('dockerd is missing; run bash test/support/system-deps.sh.')
  const port = await freePort()
  const child = spawn(
    'dockerd',
    [
      '-H',
      `tcp://127.0.0.1:${port}`,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--storage-driver=vfs',
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
    ],
    {stdio: ['ignore', 'ignore', 'pipe']},
  )
  let log = ''
  child.stderr.on('data', (chunk) => {
    log += chunk
  })
  const deadline = Date.now() + 60_000
  while (!log.includes(`API listen on 127.0.0.1:${port}`)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`dockerd did not start:\n${log.slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve)
        child.kill('SIGTERM')
      }),
  }
}

function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {env: {PATH: process.env.PATH}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('close', (status) => resolve({status, stdout, stderr}))
  })
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (ms) => `${ms.toFixed(1)} ms`

const dir = mkdtempSync(join(tmpdir(), 'rd-bench-'))
const instantAddress = `127.${150 + Math.floor(Math.random() * 40)}.${1 + Math.floor(Math.random() * 250)}.1`
const slowAddress = instantAddress.replace(/\.1$/, '.2')
const instantDns = await startDnsServer(instantAddress, 0)
const slowDns = await startDnsServer(slowAddress, 50)
const gitlab = http.createServer((_, res) => res.end('ok')).listen(0, '127.0.0.1')
await new Promise((r) => gitlab.once('listening', r))
const dockerd = await startDockerd(join(dir, 'docker'))
try {
  const hostsFile = join(dir, 'hosts')
  writeFileSync(hostsFile, '127.0.0.1 localhost\n127.0.0.1 docker\n')
  const resolvFor = (address, name) => {
    const path = join(dir, name)
    writeFileSync(path, `nameserver ${address}\nsearch ci.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`)
    return path
  }
  const options = (resolvConf) => ({
    resolvConf,
    hostsFile,
    dockerHosts: [`tcp://docker:${dockerd.port}`],
    targets: NAMES.slice(1, 5),
    gitlabUrl: `http://gitlab.bench.test:${gitlab.address().port}`,
    dindWaitMs: 0,
    timeoutMs: 2000,
    clusterDns: true,
  })

  // 1. Overhead: the whole probe in process, start to report, everything answering at once.
  const instantResolv = resolvFor(instantAddress, 'resolv-instant.conf')
  const totals = []
  let last
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now()
    last = await runLocalProbe(options(instantResolv), {env: {}})
    totals.push(performance.now() - startedAt)
  }
  const cliStartedAt = performance.now()
  // Asynchronous on purpose: the DNS servers above live in this process and must keep answering.
  const cli = await runCli([
    join(root, 'bin/run.cjs'),
    'probe',
    '--local',
    '--resolv-conf',
    instantResolv,
    '--hosts-file',
    hostsFile,
    '--docker-host',
    `tcp://docker:${dockerd.port}`,
    '--dind-wait',
    '0',
    '--format',
    'json',
    ...NAMES.slice(1, 5).flatMap((n) => ['--target', n]),
  ])
  const cliMs = performance.now() - cliStartedAt

  // 2. Concurrency: the same DNS checks against a server that answers after 50 ms, together and one by one.
  const resolved = resolveAgentOptions(options(resolvFor(slowAddress, 'resolv-slow.conf')), {}, {dindWaitMs: 0})
  const {ctx} = buildContext(resolved, {env: {}, progress: () => undefined})
  const tasks = dnsCheckTasks(ctx)
  let startedAt = performance.now()
  const together = await Promise.all(tasks.map((t) => t.run()))
  const concurrentWall = performance.now() - startedAt
  const sumOfChecks = together.reduce((sum, c) => sum + c.durationMs, 0)
  startedAt = performance.now()
  for (const task of tasks) await task.run()
  const sequentialWall = performance.now() - startedAt

  console.log(
    `probe --local overhead (${runs} runs, ${last.checks.length} checks, ${tasks.length} DNS checks, ` +
      `Docker ${last.checks.find((c) => c.id === 'docker-daemon')?.status}, loopback servers answering at once)`,
  )
  console.log(`  in process, start to report: median ${fmt(median(totals))}, worst ${fmt(Math.max(...totals))} (target < 2000 ms)`)
  const cliReport = cli.stdout ? JSON.parse(cli.stdout) : undefined
  console.log(
    `  CLI end to end (node startup, oclif, checks, JSON): ${fmt(cliMs)}, exit ${cli.status}, ` +
      `probe's own total ${cliReport?.timings.totalMs} ms: ${cliReport?.summary.verdict ?? cli.stderr}`,
  )
  console.log(
    `DNS checks against a server answering after 50 ms (${tasks.length} checks, each 3 tries x ` +
      `UDP/TCP x A/AAAA, plus the search expansion):`,
  )
  console.log(
    `  concurrent wall time ${fmt(concurrentWall)} vs sum of the individual check times ${fmt(sumOfChecks)}: ` +
      `ratio ${(concurrentWall / sumOfChecks).toFixed(2)}`,
  )
  console.log(
    `  one after the other in the same run: ${fmt(sequentialWall)} (${(sequentialWall / concurrentWall).toFixed(1)}x ` +
      `the concurrent wall time)`,
  )
} finally {
  await dockerd.stop()
  await instantDns.close()
  await slowDns.close()
  gitlab.close()
  rmSync(dir, {recursive: true, force: true})
}
