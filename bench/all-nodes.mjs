#!/usr/bin/env node
// `probe --all-nodes` at scale on the test bed: a real kube-apiserver, scheduler and controller manager with N kwok
// nodes (default 100), one mirror pod per node, the check program really running for each. Measures the wall time
// of the whole probe run with the default parallelism (or --parallel P). Needs `npm run build`, Go (the test bed is
// built on first use) and root (the pods' own resolv.conf is a mount namespace).
// Usage: node bench/all-nodes.mjs [--nodes 100] [--parallel P] [--keep] [-- extra probe flags]
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const index = argv.indexOf(name)
  return index >= 0 ? argv[index + 1] : fallback
}
const nodes = Number(option('--nodes', '100'))
const parallel = option('--parallel', undefined)
const extra = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : []
const dir = mkdtempSync(join(tmpdir(), 'rd-bench-cluster-'))
const cluster = (command, more = []) =>
  spawnSync(process.execPath, [join(root, 'test', 'cluster', 'cluster.mjs'), command, '--dir', dir, ...more], {stdio: 'inherit'})

const upStarted = performance.now()
if (cluster('up', ['--nodes', String(nodes)]).status !== 0) process.exit(1)
const upSeconds = (performance.now() - upStarted) / 1000

const config = join(mkdtempSync(join(tmpdir(), 'rd-bench-config-')), 'config.toml')
writeFileSync(
  config,
  `[[runners]]
  name = "bench"
  url = "https://gitlab.example.com"
  executor = "kubernetes"
  [runners.kubernetes]
    namespace = "default"
    privileged = true
    cpu_request = "100m"
    [runners.kubernetes.node_tolerations]
      "dedicated=ci" = "NoSchedule"
`,
)

try {
  const args = [
    'probe',
    '--kubeconfig',
    join(dir, 'kubeconfig'),
    '--config',
    config,
    '--all-nodes',
    '--format',
    'json',
    ...(parallel ? ['--parallel', parallel] : []),
    ...extra,
  ]
  const started = performance.now()
  const child = spawn(process.execPath, [join(root, 'bin', 'run.cjs'), ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise((resolve) => child.on('close', resolve))
  const seconds = (performance.now() - started) / 1000
  let report
  try {
    report = JSON.parse(stdout)
  } catch {
    writeFileSync(join(dir, 'stdout.txt'), stdout)
    throw new Error(`probe printed no report (exit ${code}); ${stdout.length} bytes on stdout, kept in ${join(dir, 'stdout.txt')}`)
  }
  const probed = report.target?.nodes?.length ?? 0
  const skipped = stderr.split('\n').filter((line) => line.startsWith('Skipping node'))
  if (skipped.length) console.log(`${skipped.length} node(s) skipped, first: ${skipped[0]}`)
  console.log(`cluster up with ${nodes} nodes: ${upSeconds.toFixed(1)} s`)
  console.log(
    `probe --all-nodes${parallel ? ` --parallel ${parallel}` : ' (default parallelism)'} ${extra.join(' ')}: ${seconds.toFixed(1)} ` +
      `s for ${probed} nodes, exit ${code}, ${report.checks.length} check results (target < 60 s)`,
  )
} finally {
  if (!argv.includes('--keep')) cluster('down')
  else console.log(`cluster left running: KUBECONFIG=${join(dir, 'kubeconfig')}; stop with npm run cluster:down -- --dir ${dir}`)
}
