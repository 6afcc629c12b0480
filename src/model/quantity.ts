const BINARY: Record<string, number> = {Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60}
const DECIMAL: Record<string, number> = {n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18}
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))((?:[eE][+-]?\d+)|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/

/** Parses a Kubernetes resource quantity (`500m`, `1.5`, `512Mi`, `1e3`); undefined when it is not one. */
export function parseQuantity(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw
  if (typeof raw !== 'string') return undefined
  const m = QUANTITY.exec(raw.trim())
  if (!m) return undefined
  const base = Number(m[1])
  const suffix = m[2] ?? ''
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1))
  return base * (BINARY[suffix] ?? DECIMAL[suffix])
}

export function formatCpu(cores: number): string {
  return Number.isInteger(cores) ? `${cores}` : `${Math.round(cores * 1000)}m`
}

export function formatMemory(bytes: number): string {
  const units: Array<[string, number]> = [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ]
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const v = bytes / size
      return `${Number.isInteger(v) ? v : v.toFixed(1)}${unit}`
    }
  }
  return `${bytes}`
}

/** Runner keys that hold a Kubernetes quantity: cpu_request, helper_memory_limit_overwrite_max_allowed, ... */
export const QUANTITY_KEY = /(^|_)(cpu|memory|ephemeral_storage)_(request|limit)(_overwrite_max_allowed)?$/
