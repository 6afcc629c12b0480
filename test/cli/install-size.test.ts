// A lint-only install stays small: the Kubernetes client, which only `probe` in cluster mode uses, is an optional
// dependency that `npm install --omit=optional` leaves out and that nothing outside cluster mode loads. The size is
// measured offline from the lockfile's production closure and the installed packages on disk (the same closure
// `npm install --omit=optional runner-doctor` downloads), plus the package's own files.
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  optionalDependencies?: Record<string, string>
  engines: {node: string}
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    {
      dependencies?: Record<string, string>
      optionalDependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
      peerDependenciesMeta?: Record<string, {optional?: boolean}>
    }
  >
}
const LIMIT_BYTES = 40 * 1024 * 1024

/** Where npm resolves `name` from the package at `from`: the nearest node_modules up the tree. */
function resolveInLock(from: string, name: string): string | undefined {
  for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`
    if (lock.packages[candidate]) return candidate
    if (base === '') return undefined
  }
}

/** The packages `npm install --omit=optional` puts on disk: dependencies and required peers, no optional ones. */
function productionClosure(): Set<string> {
  const seen = new Set<string>()
  const visit = (location: string) => {
    const entry = lock.packages[location]!
    const required = {...entry.dependencies}
    for (const [name, range] of Object.entries(entry.peerDependencies ?? {})) {
      if (!entry.peerDependenciesMeta?.[name]?.optional) required[name] = range
    }
    for (const name of Object.keys(required)) {
      const resolved = resolveInLock(location, name)
      if (resolved && !seen.has(resolved)) {
        seen.add(resolved)
        visit(resolved)
      }
    }
  }
  visit('')
  return seen
}

/** Bytes of a package directory, without its own nested node_modules (those are packages of their own). */
function packageBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') total += packageBytes(full)
    } else if (entry.isFile()) total += statSync(full).size
  }
  return total
}

test('the Kubernetes client is optional, and the production closure holds none of it', () => {
  expect(pkg.optionalDependencies).toEqual({'@kubernetes/client-node': expect.any(String)})
  expect(pkg.dependencies).not.toHaveProperty('@kubernetes/client-node')
  expect(lock.packages['']!.optionalDependencies).toHaveProperty('@kubernetes/client-node')
  const closure = productionClosure()
  expect([...closure].filter((location) => location.includes('@kubernetes/'))).toEqual([])
  expect(closure.has('node_modules/@oclif/core')).toBe(true)
})

test('a lint-only install (the package and its production closure) is under 40 MB', () => {
  const dependencyBytes = [...productionClosure()].reduce((sum, location) => sum + packageBytes(join(root, location)), 0)
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, encoding: 'utf8'})
  expect(pack.status).toBe(0)
  const ownBytes = (JSON.parse(pack.stdout) as Array<{unpackedSize: number}>)[0]!.unpackedSize
  const total = dependencyBytes + ownBytes
  process.stdout.write(
    `lint-only install: ${(total / 1024 / 1024).toFixed(1)} MiB (${(ownBytes / 1024 / 1024).toFixed(1)} ` +
      `MiB runner-doctor, ${productionClosure().size} packages)\n`,
  )
  expect(total).toBeLessThan(LIMIT_BYTES)
})

test('only cluster mode loads the Kubernetes client at runtime, and the probe command loads cluster mode on demand', () => {
  const importers: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.[cm]?ts$/.test(entry.name)) {
        // Type-only imports are erased at build time; only the ones that load the module at runtime count.
        const text = readFileSync(full, 'utf8')
        const statements = [...text.matchAll(/import\s+(type\s+)?[^;]*?from\s+'@kubernetes\/client-node'/g)]
        if (statements.some((statement) => !statement[1]) || text.includes("import('@kubernetes/client-node')"))
          importers.push(relative(root, full))
      }
    }
  }
  walk(join(root, 'src'))
  expect(importers.length).toBeGreaterThan(0)
  // Cluster code only: probe's cluster modes, and lint's --cluster reader when it exists.
  for (const file of importers) expect(file).toMatch(/^src\/(probe\/)?cluster\//)
  const probeCommand = readFileSync(join(root, 'src/commands/probe.ts'), 'utf8')
  expect(probeCommand).not.toMatch(/^import .*probe\/cluster/m)
  expect(probeCommand).toContain("await import('../probe/cluster/command.js')")
  expect(probeCommand).toContain('@kubernetes/client-node, an optional dependency')
  // The lint bundle may name the client (lint --cluster loads it on demand) but never requires it as it starts.
  expect(readFileSync(join(root, 'dist/lint-bundle/fast-entry.cjs'), 'utf8')).not.toMatch(/require\(["']@kubernetes\/client-node["']\)/)
})

test('without the Kubernetes client, lint works and cluster mode says how to add it (exit 2)', () => {
  // The published files beside every installed package but the client: what --omit=optional leaves on disk.
  const dir = mkdtempSync(join(tmpdir(), 'rd-no-kube-client-'))
  try {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, encoding: 'utf8'})
    for (const {path} of (JSON.parse(pack.stdout) as Array<{files: Array<{path: string}>}>)[0]!.files) {
      mkdirSync(dirname(join(dir, path)), {recursive: true})
      cpSync(join(root, path), join(dir, path))
    }
    mkdirSync(join(dir, 'node_modules'))
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry !== '@kubernetes' && entry !== '.bin') symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry))
    }
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [join(dir, 'bin/run.cjs'), ...args], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
    expect(cli(['lint', 'examples/gitlab-runner-values.yaml']).status).toBe(1)
    const cluster = cli(['probe', '--config', 'examples/gitlab-runner-values.yaml'])
    expect(cluster.status).toBe(2)
    expect(cluster.stderr.replace(/\s*›\s*/g, ' ')).toContain(
      'Cluster mode needs @kubernetes/client-node, an optional dependency this install left out.',
    )
    expect(cluster.stderr).not.toMatch(/\n\s+at /)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}, 120_000)
