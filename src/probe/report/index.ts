import type {ProbeReport} from '../types.js'
import {renderJson} from './json.js'
import {renderStylish, type StylishOptions} from './stylish.js'

export type ProbeFormat = 'stylish' | 'json'
export const PROBE_FORMATS: readonly ProbeFormat[] = ['stylish', 'json']

export function renderProbeReport(report: ProbeReport, format: ProbeFormat, options: StylishOptions = {}): string {
  return format === 'json' ? renderJson(report) : renderStylish(report, options)
}
