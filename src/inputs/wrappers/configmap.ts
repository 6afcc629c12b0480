import {isPlainObject} from '../../model/chart.js'
import {isRegistrationEnv, registrationEnvTarget} from '../registration-env.js'
import type {LintTarget} from '../targets.js'
import {tomlTarget} from '../toml-target.js'
import {decodePointer, encodePointer, locateInYaml} from '../yaml-source.js'
import {kindOf, skip, stringMapAt, type Wrapper, type YamlContext} from './context.js'

/**
 * The keys of a ConfigMap's `data` (or a Secret's `stringData`) read as registration variables, when they are: the
 * target's findings point at each variable's key.
 */
export function envMapTarget(
  ctx: YamlContext,
  field: 'data' | 'stringData',
  map: Record<string, unknown>,
  leaveOutSecrets = false,
): LintTarget | undefined {
  if (!isRegistrationEnv(Object.keys(map))) return undefined
  const pointerBase = (ctx.prefix ?? '') + `/${field}`
  const segments = decodePointer(pointerBase)
  const spanAt = (path: string[]) => locateInYaml(ctx.doc, path, ctx.lines).span
  const entries = Object.entries(map).map(([name, value]) => ({name, value, span: spanAt([...segments, name])}))
  return registrationEnvTarget(entries, {
    pointerBase,
    docIndex: ctx.docIndex,
    whole: spanAt(segments),
    runnerVersion: ctx.options.runnerVersion,
    leaveOutSecrets,
  })
}

/** A ConfigMap whose `.toml` keys hold a runner config.toml, or whose keys are registration variables. */
export const configMap: Wrapper = {
  name: 'ConfigMap',
  match: (data) => kindOf(data) === 'ConfigMap' && isPlainObject(data.data),
  extract(ctx, data) {
    const targets: LintTarget[] = []
    const map = data.data as Record<string, unknown>
    for (const [key, value] of Object.entries(map)) {
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
    const fromEnv = envMapTarget(ctx, 'data', map)
    if (fromEnv) targets.push(fromEnv)
    if (targets.length === 0) return skip('ConfigMap without a .toml key or registration variables')
    return {kind: fromEnv && targets.length === 1 ? 'registration-env' : 'configmap', targets}
  },
}
