import {isPlainObject} from '../chart.js'
import {isTemplatePlaceholder} from '../placeholders.js'
import {isSecretKey} from '../secrets.js'

/*
 * The deployed runner against the file: the deployed ConfigMap's config.toml (the chart's global settings) and
 * config.template.toml (its runners.config) key by key, and the manager image. A difference is placed at the key in
 * the file, or at the nearest table the file has when the key is only deployed.
 */

export interface DriftItem {
  /** Dotted key for messages: `concurrent`, `runners[0].kubernetes.cpu_limit`. */
  key: string
  deployed: string
  here: string
  /** Where in the target to report it. */
  pointer: string
  /** The pointer is into the chart values, not the TOML. */
  inValues: boolean
}

/** Chart values that become the global settings of config.toml (the chart's configmap.yaml). */
export const CHART_GLOBAL_KEYS: Record<string, string> = {
  concurrent: 'concurrent',
  check_interval: 'checkInterval',
  log_level: 'logLevel',
  log_format: 'logFormat',
  shutdown_timeout: 'shutdown_timeout',
  listen_address: 'listenAddress',
}

const show = (value: unknown): string =>
  value === undefined ? 'not set' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)

/**
 * A runner's `environment` as compared and shown: variable names only, with the names whose values differ. Values
 * may be credentials that no redaction list knows, so they are never printed.
 */
function environmentNames(value: unknown, other: unknown): string {
  if (!Array.isArray(value)) return show(value)
  const entries = (list: unknown) =>
    new Map(
      (Array.isArray(list) ? list : [])
        .filter((e): e is string => typeof e === 'string')
        .map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]),
    )
  const mine = entries(value)
  const theirs = entries(other)
  const names = [...mine.keys()].map((name) => (theirs.has(name) && theirs.get(name) !== mine.get(name) ? `${name} (other value)` : name))
  return `[${names.join(', ')}] (values not shown)`
}

/** Leaves of a TOML value as pointer → value; arrays of tables are walked by index, other arrays are leaves. */
function leaves(value: unknown, pointer: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) leaves(v, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, out)
  else if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject))
    value.forEach((v, i) => leaves(v, `${pointer}/${i}`, out))
  else out.set(pointer, value)
  return out
}

const keyOf = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '')

/** The longest prefix of `pointer` that exists in `data` (a key only deployed is reported at its table). */
function nearestExisting(data: Record<string, unknown>, pointer: string): string {
  const parts = pointer.split('/').slice(1)
  let node: unknown = data
  let found = ''
  for (const raw of parts) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    const next = Array.isArray(node) ? node[Number(part)] : isPlainObject(node) ? node[part] : undefined
    if (next === undefined) break
    node = next
    found += `/${raw}`
  }
  return found
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Differences between what is deployed and the file. `deployedGlobal` is the deployed config.toml (global settings),
 * `deployedRunners` the deployed runner sections ([[runners]] of config.template.toml, or of config.toml when the
 * ConfigMap holds a whole one). `values` are the chart values when the file is a values file.
 */
export function configDrift(input: {
  deployedGlobal: Record<string, unknown>
  deployedRunners: unknown[] | undefined
  toml: Record<string, unknown>
  values?: Record<string, unknown>
}): DriftItem[] {
  const items: DriftItem[] = []
  for (const [tomlKey, valuesKey] of Object.entries(CHART_GLOBAL_KEYS)) {
    const deployed = input.deployedGlobal[tomlKey]
    const here = input.values ? input.values[valuesKey] : input.toml[tomlKey]
    const pointer = input.values ? `/${valuesKey}` : `/${tomlKey}`
    if (deployed === undefined || here === undefined || isTemplatePlaceholder(here) || equal(deployed, here)) continue
    items.push({key: tomlKey, deployed: show(deployed), here: show(here), pointer, inValues: Boolean(input.values)})
  }
  if (input.deployedRunners) {
    const deployed = leaves(input.deployedRunners, '/runners', new Map())
    const here = leaves(Array.isArray(input.toml.runners) ? input.toml.runners : [], '/runners', new Map())
    for (const pointer of new Set([...deployed.keys(), ...here.keys()])) {
      const key = keyOf(pointer)
      const last = key.split('.').at(-1) ?? ''
      const d = deployed.get(pointer)
      const h = here.get(pointer)
      // Tokens are never compared (and never printed); the chart fills templated values at deploy time.
      if (isSecretKey(last) || isTemplatePlaceholder(h) || equal(d, h)) continue
      const shown =
        last === 'environment' ? {deployed: environmentNames(d, h), here: environmentNames(h, d)} : {deployed: show(d), here: show(h)}
      items.push({key, ...shown, pointer: h === undefined ? nearestExisting(input.toml, pointer) : pointer, inValues: false})
    }
  }
  return items
}

/** The manager image the chart deploys for these values (the chart's `gitlab-runner.image`), when they set a tag. */
export function chartImage(values: Record<string, unknown>, user: Record<string, unknown>): {image: string; pointer: string} | undefined {
  const image = isPlainObject(values.image) ? values.image : undefined
  const written = isPlainObject(user.image) ? user.image : undefined
  if (!image || !written || typeof image.tag !== 'string' || isTemplatePlaceholder(image.tag)) return undefined
  const registry = typeof image.registry === 'string' && image.registry !== '' ? `${image.registry}/` : ''
  return {image: `${registry}${String(image.image)}:${image.tag}`, pointer: written.tag !== undefined ? '/image/tag' : '/image'}
}

/** Two image references name the same image (`docker.io/` is what an unqualified name means). */
export function sameImage(a: string, b: string): boolean {
  const normal = (ref: string) => {
    const path = ref.replace(/^(index\.)?docker\.io\//, '')
    return path.includes('/') ? path : `library/${path}`
  }
  return normal(a) === normal(b)
}
