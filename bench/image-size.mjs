#!/usr/bin/env node
// What the image adds to its base: the Dockerfile's build stage redone here, file for file (the packed package,
// its production dependencies with the optional Kubernetes client, the V8 code cache the last stage writes), then
// measured on disk and as the gzip-compressed tar a registry stores. Fails if the result has no Kubernetes client.
// The base image itself cannot be pulled on a machine without registry access; `docker image ls` after a release
// build gives the whole. Needs `npm run build` and npm's cache filled by `npm ci`. Usage: npx node bench/image-size.mjs
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'rd-image-size-'))
const run = (command, args, cwd) => execFileSync(command, args, {cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8'})

function bytesOnDisk(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + bytesOnDisk(join(path, name)), 0)
}

const megabytes = (bytes) => `${(bytes / 1_000_000).toFixed(1)} MB`

/** The Dockerfile's build stage: `npm ci …`, then these two (see the comment there). */
const DEPENDENCY_STEPS = [
  ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'],
  ['pkg', 'delete', 'devDependencies.@kubernetes/client-node'],
  ['install', '--offline', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
]

try {
  // RUN npm pack … && tar -xzf … -C /app --strip-components=1
  const tarball = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], root).trim().split('\n').at(-1)
  const app = join(work, 'app')
  mkdirSync(app)
  run('tar', ['-xzf', join(work, tarball), '-C', app, '--strip-components=1'])
  // The build stage's install and its cut to production, command for command (the install from npm's cache when it
  // can, the cut from the cache alone, as in the stage). Run with Node 24 (`npx node`), the image's Node: under an
  // older one npm skips the optional Kubernetes client, whose dependencies need Node 22.19.
  const install = join(work, 'install')
  mkdirSync(install)
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(install, file))
  for (const step of DEPENDENCY_STEPS) run('npm', [...step, '--silent'], install)
  cpSync(join(install, 'node_modules'), join(app, 'node_modules'), {recursive: true, verbatimSymlinks: true})
  cpSync(join(install, 'package-lock.json'), join(app, 'package-lock.json'))
  rmSync(install, {recursive: true, force: true})
  // RUN runner-doctor lint examples …: writes the code cache next to the bundle.
  const lint = spawnSync(process.execPath, [join(app, 'bin/run.cjs'), 'lint', join(app, 'examples'), '--fail-on', 'none', '--allow-empty'])
  if (lint.status !== 0) throw new Error(`the packed CLI did not run: ${lint.stderr}`)
  // Cluster mode loads the Kubernetes client before it reads the kubeconfig: a missing client says so first.
  const cluster = spawnSync(process.execPath, [join(app, 'bin/run.cjs'), 'probe', '--cleanup', '--kubeconfig', join(work, 'absent')], {
    encoding: 'utf8',
  })
  if (cluster.stderr.includes('Cluster mode needs @kubernetes/client-node')) throw new Error('the image would have no Kubernetes client')

  const onDisk = bytesOnDisk(app)
  const dependencies = bytesOnDisk(join(app, 'node_modules'))
  const kubernetesClient = bytesOnDisk(join(app, 'node_modules/@kubernetes/client-node'))
  const layer = gzipSync(execFileSync('tar', ['-C', work, '-cf', '-', 'app'], {maxBuffer: 1 << 30}), {level: 6})
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
  console.log(`runner-doctor ${version}: what the image adds to its base (/opt/runner-doctor)`)
  console.log(
    `  on disk:             ${megabytes(onDisk)} (dependencies ${megabytes(dependencies)}, of ` +
      `which @kubernetes/client-node ${megabytes(kubernetesClient)})`,
  )
  console.log(`  compressed (gzip):   ${megabytes(layer.length)}, what a pull downloads on top of the base`)
} finally {
  rmSync(work, {recursive: true, force: true})
}
