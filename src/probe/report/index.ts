import type {ProbeReport} from '../types.js'
import {renderJson} from './json.js'
import {renderJunit, type ProbeJunitOptions} from './junit.js'
import {renderMarkdown} from './markdown.js'
import {renderStylish, type StylishOptions} from './stylish.js'

export const PROBE_FORMATS = ['stylish', 'json', 'markdown', 'junit'] as const
export type ProbeFormat = (typeof PROBE_FORMATS)[number]

export function renderProbeReport(report: ProbeReport, format: ProbeFormat, options: StylishOptions & ProbeJunitOptions = {}): string {
  if (format === 'json') return renderJson(report)
  if (format === 'junit') return renderJunit(report, options)
  if (format === 'markdown') return renderMarkdown(report)
  return renderStylish(report, options)
}
