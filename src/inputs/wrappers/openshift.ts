import type {LintTarget} from '../targets.js'
import type {InputKind} from '../types.js'
import {kindLabel, kindOf, skip, type Wrapper} from './context.js'

function nestedObjects(data: Record<string, unknown>): [string, unknown[]] | undefined {
  const kind = kindOf(data)
  if (kind === 'Template' && Array.isArray(data.objects)) return ['objects', data.objects]
  if (kind === 'List' && Array.isArray(data.items)) return ['items', data.items]
  return undefined
}

/** OpenShift Templates and Kubernetes Lists carry whole objects (ConfigMaps, HelmReleases) inside them. */
export const openShiftTemplateOrList: Wrapper = {
  name: 'OpenShift Template or List',
  match: (data) => nestedObjects(data) !== undefined,
  extract(ctx, data, analyzeNested) {
    const [field, objects] = nestedObjects(data)!
    const targets: LintTarget[] = []
    let innerKind: InputKind | undefined
    objects.forEach((object, i) => {
      const inner = analyzeNested({...ctx, prefix: `${ctx.prefix ?? ''}/${field}/${i}`}, object)
      targets.push(...inner.targets)
      if (inner.targets.length > 0) innerKind ??= inner.kind
    })
    return targets.length > 0 ? {kind: innerKind!, targets} : skip(`Kubernetes ${kindLabel(data)} without runner configuration`)
  },
}
