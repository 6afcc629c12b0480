import type {ProbeReport} from '../types.js'
import {renderJson} from './json.js'
import {renderMarkdown} from './markdown.js'
import {renderStylish, type StylishOptions} from './stylish.js'

export type ProbeFormat = 'stylish' | 'json' | 'markdown'
export const PROBE_FORMATS: readonly ProbeFormat[] = ['stylish', 'json', 'markdown']

export function renderProbeReport(report: ProbeReport, format: ProbeFormat, options: StylishOptions = {}): string {
  if (format === 'json') return renderJson(report)
  if (format === 'markdown') return renderMarkdown(report)
  return renderStylish(report, options)
}
