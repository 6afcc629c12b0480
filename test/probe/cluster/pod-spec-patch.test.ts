import {describe, expect, it} from '@jest/globals'
import {applyPodSpecPatches, jsonPatch, mergePatch, podSpecPatches, strategicMerge} from '../../../src/model/executor/pod-spec-patch.js'

const spec = {
  containers: [
    {name: 'build', image: 'node', env: [{name: 'A', value: '1'}], volumeMounts: [{name: 'repo', mountPath: '/builds'}]},
    {name: 'helper', image: 'helper'},
  ],
  tolerations: [{key: 'a', operator: 'Exists'}],
  volumes: [{name: 'repo', emptyDir: {}}],
  nodeSelector: {pool: 'ci'},
}

describe('pod_spec patches as the executor applies them', () => {
  it('strategic: containers, env and mounts merge by their keys, tolerations (no merge key) are replaced, $patch: delete removes', () => {
    const patched = strategicMerge(spec, {
      containers: [
        {
          name: 'build',
          env: [
            {name: 'B', value: '2'},
            {name: 'A', value: 'x'},
          ],
          volumeMounts: [{mountPath: '/cache', name: 'cache'}],
        },
        {name: 'helper', $patch: 'delete'},
      ],
      tolerations: [{key: 'b', operator: 'Exists'}],
      volumes: [{name: 'cache', emptyDir: {medium: 'Memory'}}],
      nodeSelector: {pool: null, zone: 'a'},
    }) as typeof spec
    expect(patched.containers).toEqual([
      {
        name: 'build',
        image: 'node',
        env: [
          {name: 'A', value: 'x'},
          {name: 'B', value: '2'},
        ],
        volumeMounts: [
          {name: 'repo', mountPath: '/builds'},
          {mountPath: '/cache', name: 'cache'},
        ],
      },
    ])
    expect(patched.tolerations).toEqual([{key: 'b', operator: 'Exists'}])
    expect(patched.volumes).toEqual([
      {name: 'repo', emptyDir: {}},
      {name: 'cache', emptyDir: {medium: 'Memory'}},
    ])
    expect(patched.nodeSelector).toEqual({zone: 'a'})
    expect(spec.containers).toHaveLength(2)
  })

  it('merge (RFC 7396) replaces lists whole; json (RFC 6902) edits by pointer and fails on a missing path', () => {
    expect((mergePatch(spec, {containers: [{name: 'only'}]}) as typeof spec).containers).toEqual([{name: 'only'}])
    const edited = jsonPatch(spec, [
      {op: 'replace', path: '/containers/0/image', value: 'node:24'},
      {op: 'remove', path: '/tolerations/0'},
      {op: 'add', path: '/hostNetwork', value: false},
    ]) as typeof spec & {hostNetwork: boolean}
    expect(edited.containers[0]!.image).toBe('node:24')
    expect(edited.tolerations).toEqual([])
    expect(edited.hostNetwork).toBe(false)
    expect(() => jsonPatch(spec, [{op: 'remove', path: '/missing'}])).toThrow('path /missing does not exist')
    expect(() => jsonPatch(spec, [{op: 'test', path: '/nodeSelector/pool', value: 'other'}])).toThrow('test failed at /nodeSelector/pool')
  })

  it('reads YAML or JSON, inline or from patch_path, strategic by default, in order', () => {
    const files: Record<string, string> = {'/etc/runner/patch.yaml': 'nodeSelector:\n  disk: ssd\n'}
    const patches = podSpecPatches(
      {
        pod_spec: [
          {name: 'inline', patch: '{"nodeSelector": {"pool": "big"}}'},
          {name: 'file', patch_path: '/etc/runner/patch.yaml', patch_type: 'merge'},
        ],
      },
      (path) => {
        if (!(path in files)) throw Object.assign(new Error('missing'), {code: 'ENOENT'})
        return files[path]!
      },
    )
    expect(patches.map((p) => [p.name, p.type])).toEqual([
      ['inline', 'strategic'],
      ['file', 'merge'],
    ])
    expect(applyPodSpecPatches(spec, patches).nodeSelector).toEqual({pool: 'big', disk: 'ssd'})
    expect(() =>
      podSpecPatches({pod_spec: [{name: 'gone', patch_path: '/nope.yaml'}]}, () => {
        throw Object.assign(new Error('x'), {code: 'ENOENT'})
      }),
    ).toThrow('pod_spec "gone": cannot read patch_path /nope.yaml: ENOENT.')
    expect(() => podSpecPatches({pod_spec: [{name: 'odd', patch_type: 'xml', patch: '{}'}]}, () => '')).toThrow(
      'unsupported patch type xml',
    )
  })
})
