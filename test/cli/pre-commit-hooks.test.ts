// .pre-commit-hooks.yaml, checked against what pre-commit requires of a hook manifest and run the way pre-commit
// runs a hook: the entry, then the changed files. pre-commit itself (Python, and the npm install or docker build it
// does) is not available offline, so the install step is the one thing left to a real pre-commit run.
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const cli = join(root, 'bin', 'run.cjs')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {bin: Record<string, string>}
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')

interface Hook {
  id: string
  name: string
  entry: string
  language: string
  files?: string
  require_serial?: boolean
}

const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[]

test('the manifest holds one hook from npm and one from the image, with the keys pre-commit requires', () => {
  expect(hooks.map((hook) => [hook.id, hook.language])).toEqual([
    ['runner-doctor', 'node'],
    ['runner-doctor-docker', 'docker'],
  ])
  for (const hook of hooks) {
    for (const key of ['id', 'name', 'entry', 'language'] as const) expect(typeof hook[key]).toBe('string')
    expect(hook.require_serial).toBe(true)
  }
})

test('the entry command is the package bin (npm hook) and is on the image PATH (docker hook)', () => {
  for (const hook of hooks) expect(hook.entry.split(' ')[0]).toBe('runner-doctor')
  expect(Object.keys(pkg.bin)).toContain('runner-doctor')
  expect(dockerfile).toMatch(/ln -s \/opt\/runner-doctor\/bin\/run\.cjs \/usr\/local\/bin\/runner-doctor/)
  expect(dockerfile).toMatch(/^ENTRYPOINT \[\]$/m)
})

test('the files pattern picks YAML and TOML files only', () => {
  for (const hook of hooks) {
    const pattern = new RegExp(hook.files!)
    for (const name of ['values.yaml', 'deploy/runner/values.yml', 'config.toml', '.gitlab-ci.yml']) expect(pattern.test(name)).toBe(true)
    for (const name of ['README.md', 'values.yaml.bak', 'main.tf', 'package.json']) expect(pattern.test(name)).toBe(false)
  }
})

describe('the entry, given the changed files as pre-commit gives them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-pre-commit-'))
  copyFileSync(join(root, 'examples', 'gitlab-runner-values.yaml'), join(dir, 'values.yaml'))
  writeFileSync(join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n')
  const runEntry = (files: string[]) => {
    const [, ...args] = hooks[0]!.entry.split(' ')
    return spawnSync(process.execPath, [cli, ...args, ...files], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  }

  test('fails the commit when a runner file has errors', () => {
    const result = runEntry(['deployment.yaml', 'values.yaml'])
    expect(result.status).toBe(1)
    expect(result.stdout).toContain('values.yaml')
  })

  test('passes a commit that touches no runner configuration', () => {
    const result = runEntry(['deployment.yaml'])
    expect(result.status).toBe(0)
    expect(result.stderr).toBe('')
  })
})
