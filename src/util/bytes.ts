const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

/**
 * `1536` → `1.5 KiB`: binary units, at most `decimals` decimals with trailing zeros dropped. With `exact: false` a
 * size that is not a whole number of units keeps its decimals (`4.0 MiB`), so it never reads as equal to a limit.
 */
export function formatBytes(bytes: number, decimals = 2, {exact = true}: {exact?: boolean} = {}): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  const shown = exact || Number.isInteger(value) ? String(Number(value.toFixed(decimals))) : value.toFixed(decimals)
  return `${shown} ${BYTE_UNITS[unit]}`
}
