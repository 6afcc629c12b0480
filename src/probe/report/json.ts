import type {ProbeReport} from '../types.js'

export function renderJson(report: ProbeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
