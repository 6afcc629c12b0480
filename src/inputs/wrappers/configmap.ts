import {isPlainObject} from '../../model/chart.js'
import type {LintTarget} from '../targets.js'
import {tomlTarget} from '../toml-target.js'
import {encodePointer} from '../yaml-source.js'
import {kindOf, skip, stringMapAt, type Wrapper} from './context.js'

/** A ConfigMap whose `.toml` keys hold a runner config.toml. */
export const configMap: Wrapper = {
  name: 'ConfigMap',
  match: (data) => kindOf(data) === 'ConfigMap' && isPlainObject(data.data),
  extract(ctx, data) {
    const targets: LintTarget[] = []
    for (const [key, value] of Object.entries(data.data as Record<string, unknown>)) {
      if (!key.endsWith('.toml') || typeof value !== 'string') continue
      const pointer = `/data${encodePointer([key])}`
      targets.push(
        tomlTarget(value, {
          pointerBase: (ctx.prefix ?? '') + pointer,
          docIndex: ctx.docIndex,
          map: stringMapAt(ctx, pointer),
          label: key,
          runnerVersion: ctx.options.runnerVersion,
        }),
      )
    }
    return targets.length > 0 ? {kind: 'configmap', targets} : skip('ConfigMap without a .toml key')
  },
}
