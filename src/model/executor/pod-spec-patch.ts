import {parse as parseYaml} from 'yaml'

import {isPlainObject} from '../chart.js'
import {stringOrEmpty} from '../literals.js'

/*
 * `[[runners.kubernetes.pod_spec]]` patches, applied as the executor applies them when
 * FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is on (kubernetes.go applyPodSpecMerge / doPodSpecMerge; config.go
 * KubernetesPodSpec.PodSpecPatch): in order, each to the result of the previous one, to the pod *spec* (not the pod);
 * `patch` or the file at `patch_path` is YAML or JSON; `patch_type` is strategic (the default), merge (RFC 7396) or
 * json (RFC 6902).
 */

export type PatchType = 'strategic' | 'merge' | 'json'

export interface PodSpecPatch {
  name: string
  type: PatchType
  /** The patch as JSON data. */
  body: unknown
}

export class PodSpecPatchError extends Error {}

type Json = unknown
type JsonObject = Record<string, unknown>

/**
 * The patches of a runner, read as the executor reads them; `readPatchFile` reads a `patch_path` (the runner reads it
 * on its own machine). Throws PodSpecPatchError for what fails every job: both patch and patch_path, an unknown type,
 * unreadable YAML.
 */
export function podSpecPatches(kubernetes: Record<string, unknown>, readPatchFile: (path: string) => string): PodSpecPatch[] {
  const list = Array.isArray(kubernetes.pod_spec) ? kubernetes.pod_spec.filter(isPlainObject) : []
  return list.map((spec, index) => {
    const name = stringOrEmpty(spec.name) || `pod_spec[${index}]`
    const type = (stringOrEmpty(spec.patch_type) || 'strategic') as PatchType
    if (!['strategic', 'merge', 'json'].includes(type))
      throw new PodSpecPatchError(`pod_spec "${name}": unsupported patch type ${type} (the runner fails every job with this).`)
    const inline = stringOrEmpty(spec.patch)
    const path = stringOrEmpty(spec.patch_path)
    if (inline && path)
      throw new PodSpecPatchError(`pod_spec "${name}": patch and patch_path are both set; the runner refuses the ambiguous patch.`)
    let text = inline
    if (path) {
      try {
        text = readPatchFile(path)
      } catch (error) {
        throw new PodSpecPatchError(
          `pod_spec "${name}": cannot read patch_path ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        )
      }
    }
    let body: unknown
    try {
      body = parseYaml(text)
    } catch (error) {
      throw new PodSpecPatchError(`pod_spec "${name}": the patch is not YAML or JSON: ${(error as Error).message.split('\n')[0]}`)
    }
    return {name, type, body: body ?? {}}
  })
}

/** Applies the patches in order to a pod spec (a plain JSON object); the input is not changed. */
export function applyPodSpecPatches<T extends object>(spec: T, patches: PodSpecPatch[]): T {
  let current: Json = structuredClone(spec)
  for (const patch of patches) {
    try {
      current =
        patch.type === 'json'
          ? jsonPatch(current, patch.body)
          : patch.type === 'merge'
            ? mergePatch(current, patch.body)
            : strategicMerge(current, patch.body, POD_SPEC_KEYS)
    } catch (error) {
      throw new PodSpecPatchError(`pod_spec "${patch.name}" (${patch.type}) does not apply: ${(error as Error).message}`)
    }
  }
  return current as T
}

/** RFC 7396: objects merge, null removes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch)
  const result: JsonObject = isPlainObject(target) ? {...target} : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key], value)
  }
  return result
}

function pointerTokens(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function parentOf(document: Json, pointer: string): {parent: JsonObject | Json[]; key: string} {
  const tokens = pointerTokens(pointer)
  const key = tokens.pop()
  if (key === undefined) throw new Error('the root cannot be changed by this operation')
  let node: Json = document
  for (const token of tokens) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined
    if (node === undefined) throw new Error(`path ${pointer} does not exist`)
  }
  if (!Array.isArray(node) && !isPlainObject(node)) throw new Error(`path ${pointer} does not exist`)
  return {parent: node, key}
}

function getAt(document: Json, pointer: string): Json {
  let node: Json = document
  for (const token of pointerTokens(pointer)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined
    if (node === undefined) throw new Error(`path ${pointer} does not exist`)
  }
  return node
}

function arrayIndex(array: Json[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return array.length
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new Error(`"${key}" is not an array index`)
  const index = Number(key)
  if (index > array.length || (!forAdd && index === array.length)) throw new Error(`index ${index} is out of range`)
  return index
}

function removeAt(document: Json, pointer: string): Json {
  const {parent, key} = parentOf(document, pointer)
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false), 1)[0]
  if (!(key in parent)) throw new Error(`path ${pointer} does not exist`)
  const value = parent[key]
  delete parent[key]
  return value
}

function addAt(document: Json, pointer: string, value: Json, replace: boolean): Json {
  if (pointer === '') return value
  const {parent, key} = parentOf(document, pointer)
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace)
    parent.splice(index, replace ? 1 : 0, value)
  } else {
    if (replace && !(key in parent)) throw new Error(`path ${pointer} does not exist`)
    parent[key] = value
  }
  return document
}

/** RFC 6902 with the operations evanphx/json-patch applies: add, remove, replace, move, copy, test. */
export function jsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new Error('a json patch is a list of operations')
  let document = structuredClone(target)
  for (const raw of patch) {
    const op = isPlainObject(raw) ? raw : {}
    const path = stringOrEmpty(op.path)
    switch (op.op) {
      case 'add':
        document = addAt(document, path, structuredClone(op.value), false)
        break
      case 'replace':
        document = addAt(document, path, structuredClone(op.value), true)
        break
      case 'remove':
        removeAt(document, path)
        break
      case 'move': {
        const value = removeAt(document, stringOrEmpty(op.from))
        document = addAt(document, path, value, false)
        break
      }
      case 'copy':
        document = addAt(document, path, structuredClone(getAt(document, stringOrEmpty(op.from))), false)
        break
      case 'test':
        if (JSON.stringify(getAt(document, path)) !== JSON.stringify(op.value)) throw new Error(`test failed at ${path}`)
        break
      default:
        throw new Error(`unknown operation ${JSON.stringify(op.op)}`)
    }
  }
  return document
}

/**
 * The lists of a PodSpec that a strategic merge patch merges by key (the patchMergeKey tags of k8s.io/api core/v1
 * types.go); any other list is replaced whole. Nested entries describe the list elements' own fields.
 */
interface MergeKeys {
  [field: string]: {key: string; fields?: MergeKeys}
}
const CONTAINER_KEYS: MergeKeys = {
  env: {key: 'name'},
  ports: {key: 'containerPort'},
  volumeMounts: {key: 'mountPath'},
  volumeDevices: {key: 'devicePath'},
}
export const POD_SPEC_KEYS: MergeKeys = {
  containers: {key: 'name', fields: CONTAINER_KEYS},
  initContainers: {key: 'name', fields: CONTAINER_KEYS},
  ephemeralContainers: {key: 'name', fields: CONTAINER_KEYS},
  volumes: {key: 'name'},
  imagePullSecrets: {key: 'name'},
  hostAliases: {key: 'ip'},
  topologySpreadConstraints: {key: 'topologyKey'},
  resourceClaims: {key: 'name'},
  schedulingGates: {key: 'name'},
}

/** Kubernetes' strategic merge patch over a PodSpec: maps merge, null deletes, keyed lists merge by their key, `$patch` directives. */
export function strategicMerge(target: Json, patch: Json, keys: MergeKeys = POD_SPEC_KEYS): Json {
  if (!isPlainObject(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') {
    const {$patch: _, ...rest} = patch
    return structuredClone(rest)
  }
  if (patch.$patch === 'delete') return undefined
  const result: JsonObject = isPlainObject(target) ? {...target} : {}
  for (const [field, value] of Object.entries(patch)) {
    // Directives ($setElementOrder/…, $retainKeys) order or prune; the result's content is the same without them.
    if (field.startsWith('$')) continue
    if (value === null) {
      delete result[field]
      continue
    }
    const merge = keys[field]
    if (merge && Array.isArray(value)) {
      result[field] = mergeKeyedList(Array.isArray(result[field]) ? (result[field] as Json[]) : [], value, merge)
      continue
    }
    const merged = isPlainObject(value) ? strategicMerge(result[field], value, {}) : structuredClone(value)
    if (merged === undefined) delete result[field]
    else result[field] = merged
  }
  return result
}

function mergeKeyedList(current: Json[], patch: Json[], merge: {key: string; fields?: MergeKeys}): Json[] {
  if (patch.some((item) => isPlainObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1)) {
    return structuredClone(patch.filter((item) => !(isPlainObject(item) && item.$patch === 'replace')))
  }
  const result = current.map((item) => structuredClone(item))
  for (const item of patch) {
    if (!isPlainObject(item)) {
      result.push(structuredClone(item))
      continue
    }
    const index = result.findIndex((existing) => isPlainObject(existing) && existing[merge.key] === item[merge.key])
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1)
      continue
    }
    if (index >= 0) result[index] = strategicMerge(result[index], item, merge.fields ?? {})
    else result.push(strategicMerge({}, item, merge.fields ?? {}))
  }
  return result
}
