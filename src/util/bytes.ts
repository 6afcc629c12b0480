const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

/** `1536` → `1.5 KiB`: binary units, at most `decimals` decimals, trailing zeros dropped. */
export function formatBytes(bytes: number, decimals = 2): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${Number(value.toFixed(decimals))} ${BYTE_UNITS[unit]}`
}
