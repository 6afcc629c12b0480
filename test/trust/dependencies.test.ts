import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {REPO_ROOT} from './support/seeds.js'

interface LockPackage {
  version?: string
  dev?: boolean
  optional?: boolean
  hasInstallScript?: boolean
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  allowScripts?: Record<string, boolean>
}
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number
  packages: Record<string, LockPackage>
}

describe('dependencies are pinned and run nothing at install', () => {
  test('package-lock.json is committed and matches package.json', () => {
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], {cwd: REPO_ROOT, encoding: 'utf8'})
    expect(tracked.trim()).toBe('package-lock.json')
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3)
    const root = lock.packages['']
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {})
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {})
    for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]) {
      expect(lock.packages[`node_modules/${name}`]?.version).toMatch(/^\d+\.\d+\.\d+/)
    }
  })

  test('runner-doctor has no install scripts of its own (preinstall, install, postinstall)', () => {
    const lifecycle = Object.keys(pkg.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall'].includes(s))
    expect(lifecycle).toEqual([])
  })

  test(
    'no runtime dependency runs an install script, and every dev dependency that has one is an ' + 'explicit decision in allowScripts',
    () => {
      const withScripts = Object.entries(lock.packages)
        .filter(([path, p]) => path !== '' && p.hasInstallScript)
        .map(([path, p]) => ({name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), dev: Boolean(p.dev)}))
      expect(withScripts.filter((p) => !p.dev)).toEqual([])
      for (const {name} of withScripts) expect(Object.keys(pkg.allowScripts ?? {})).toContain(name)
    },
  )
})
