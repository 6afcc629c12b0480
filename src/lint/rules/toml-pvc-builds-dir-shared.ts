import {volumesOf, withoutTrailingSlashes} from '../../model/executor/volumes.js'
import {stringOrEmpty} from '../../model/literals.js'
import {concurrentOf, type RunnerView} from '../../model/runners.js'
import {defineRule} from '../define-rule.js'

function buildsDir(runner: RunnerView): string {
  const dir = runner.settings.builds_dir
  return typeof dir === 'string' && dir ? withoutTrailingSlashes(dir) : '/builds'
}

export default defineRule({
  id: 'toml-pvc-builds-dir-shared',
  target: 'config-toml',
  messages: {
    sharedClaim:
      'PVC {{claim}} is the builds directory ({{dir}}) of up to {{jobs}} concurrent jobs: they clone ' +
      'into the same directory, and a ReadWriteOnce claim leaves jobs stuck in ContainerCreating.',
  },
  check: ({runners, target}) => {
    const concurrent = concurrentOf(target) ?? 1
    return runners.flatMap((runner) => {
      if (!runner.kubernetes) return []
      const limit = typeof runner.settings.limit === 'number' && runner.settings.limit > 0 ? runner.settings.limit : concurrent
      const jobs = Math.min(concurrent, limit)
      if (jobs <= 1) return []
      const dir = buildsDir(runner)
      return volumesOf(runner.kubernetes, 'pvc').flatMap(({volume: {name: claim, mount_path: mountPath}, index}) => {
        // $CI_CONCURRENT_ID in the claim's name gives each job slot its own claim.
        if (typeof claim !== 'string' || claim.includes('CI_CONCURRENT_ID') || withoutTrailingSlashes(stringOrEmpty(mountPath)) !== dir)
          return []
        return [
          {pointer: `${runner.pointer}/kubernetes/volumes/pvc/${index}/name`, messageId: 'sharedClaim' as const, data: {claim, dir, jobs}},
        ]
      })
    })
  },
})
