import {isTemplatePlaceholder} from '../../inputs/helm-template.js'
import {isPlainObject} from '../../model/chart.js'
import {parseQuantity, QUANTITY_KEY} from '../../model/quantity.js'
import type {FunctionResult, RuleFunction} from './types.js'

const CONTAINERS = [
  {prefix: '', name: 'build'},
  {prefix: 'helper_', name: 'helper'},
  {prefix: 'service_', name: 'service'},
] as const

const RESOURCES = ['cpu', 'memory'] as const

function isSet(value: unknown): boolean {
  return value !== undefined && value !== ''
}

/** Build, helper and service containers each need CPU and memory requests and limits. */
export const missingContainerResources: RuleFunction = ({given}) => {
  const out: FunctionResult[] = []
  for (const {pointer, value} of given) {
    if (!isPlainObject(value)) continue
    for (const {prefix, name} of CONTAINERS) {
      const missing = RESOURCES.flatMap((r) => [`${prefix}${r}_request`, `${prefix}${r}_limit`]).filter((key) => !isSet(value[key]))
      if (missing.length === 0) continue
      out.push({pointer, message: `The ${name} container has no ${missing.join(', ')}: job pods can starve their node or be evicted first.`})
    }
  }
  return out
}

/** Kubernetes rejects a pod whose request is above its limit. */
export const requestAboveLimit: RuleFunction = ({given}) => {
  const out: FunctionResult[] = []
  for (const {pointer, value} of given) {
    if (!isPlainObject(value)) continue
    for (const {prefix, name} of CONTAINERS) {
      for (const r of [...RESOURCES, 'ephemeral_storage'] as const) {
        const request = parseQuantity(value[`${prefix}${r}_request`])
        const limit = parseQuantity(value[`${prefix}${r}_limit`])
        if (request === undefined || limit === undefined || request <= limit) continue
        out.push({
          pointer: `${pointer}/${prefix}${r}_request`,
          message: `The ${name} container requests ${String(value[`${prefix}${r}_request`])} ${r.replace('_', ' ')} but is limited to ${String(value[`${prefix}${r}_limit`])}: Kubernetes rejects the pod.`,
        })
      }
    }
  }
  return out
}


/** Every resource value must parse as a Kubernetes quantity, or the job fails when its pod is built. */
export const invalidQuantity: RuleFunction = ({given}) => {
  const out: FunctionResult[] = []
  for (const {pointer, value} of given) {
    if (!isPlainObject(value)) continue
    for (const [key, raw] of Object.entries(value)) {
      if (!QUANTITY_KEY.test(key) || raw === '' || isTemplatePlaceholder(raw)) continue
      if (typeof raw === 'string' && raw.includes('$')) continue
      if (parseQuantity(raw) !== undefined && typeof raw === 'string') continue
      const shown = typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw)
      const hint = typeof raw === 'string' && /^\d+(\.\d+)?\s*[KMGTPE]i?B$/i.test(raw) ? ` (did you mean "${raw.replace(/\s*B$/i, '').replace(/([KMGTPE])$/i, (u) => `${u.toUpperCase()}i`)}"?)` : ''
      const why = typeof raw === 'string' ? 'is not a Kubernetes quantity' : 'must be a quoted string such as "500m" or "1Gi"'
      out.push({pointer: `${pointer}/${key}`, message: `${key} = ${shown} ${why}${hint}; the job fails when its pod is built.`})
    }
  }
  return out
}

const CONTEXTS = [
  ['build_container_security_context', 'the build container'],
  ['helper_container_security_context', 'the helper container'],
  ['service_container_security_context', 'service containers'],
] as const

/** Per-container security contexts that make containers privileged. */
export const privilegedContainerContext: RuleFunction = ({given}) => {
  const out: FunctionResult[] = []
  for (const {pointer, value} of given) {
    if (!isPlainObject(value)) continue
    for (const [key, label] of CONTEXTS) {
      const ctx = value[key]
      if (isPlainObject(ctx) && ctx.privileged === true) {
        out.push({pointer: `${pointer}/${key}/privileged`, message: `${key}.privileged = true makes ${label} privileged: they can take over their node.`})
      }
    }
  }
  return out
}
