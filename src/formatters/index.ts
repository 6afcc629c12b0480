import type {Formatter} from '../lint/types.js'
import {formatCodeClimate} from './codeclimate.js'
import {formatJson} from './json.js'
import {formatJunit} from './junit.js'
import {formatSarif} from './sarif.js'
import {formatStylish} from './stylish.js'

export const FORMAT_NAMES = ['stylish', 'json', 'codeclimate', 'junit', 'sarif'] as const

export type FormatName = (typeof FORMAT_NAMES)[number]

export const DEFAULT_FORMAT: FormatName = 'stylish'

/** Every formatter is pure: the same result and context give the same text, ending with a newline. */
export const formatters: Record<FormatName, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  codeclimate: formatCodeClimate,
  junit: formatJunit,
  sarif: formatSarif,
}

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name)
}
