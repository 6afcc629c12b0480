import {join} from 'node:path'

import {findingsOf as at, lintOne, root} from './lint-helpers.js'

const fixture = (name: string) => join(root, 'test/fixtures/inputs/misplaced-config', name)

describe('a whole config.toml under a top-level config: key', () => {
  test('is named once, by where it belongs, not as an unknown key', async () => {
    const file = await lintOne(fixture('values.yaml'))
    expect(at(file, 'values-config-misplaced')).toEqual(['6:1 /config'])
    expect(at(file, 'values-unknown-key')).toEqual([])
  })

  test('its TOML is linted as if under runners.config, placed through the block scalar', async () => {
    const file = await lintOne(fixture('values.yaml'))
    expect(at(file, 'toml-privileged')).toEqual(['13:7 /config/runners/0/kubernetes/privileged'])
    // concurrent is a global setting: under runners.config it would be ignored too.
    expect(at(file, 'toml-global-key-in-template')).toEqual(['7:3 /config/concurrent'])
  })

  test("the chart's default runners.config, which it leaves in force, is not judged in its place", async () => {
    const file = await lintOne(fixture('values.yaml'))
    expect(file.findings.filter((f) => f.pointer.startsWith('/runners/config'))).toEqual([])
  })

  test('inside an Argo CD Application values string, positions go through both block scalars', async () => {
    const file = await lintOne(fixture('argocd.yaml'))
    expect(at(file, 'values-config-misplaced')).toEqual(['14:9 /spec/source/helm/values/config'])
    expect(at(file, 'toml-privileged')).toEqual(['18:15 /spec/source/helm/values/config/runners/0/kubernetes/privileged'])
  })
})
