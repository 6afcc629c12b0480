import {mapSpan, type PositionMap} from './position.js'
import type {TomlTarget, ValuesTarget} from './targets.js'
import {parseTomlText} from './toml-source.js'

/** A problem in text embedded in a wrapper (TOML in a ConfigMap key, YAML in a string), placed in the outer file. */
export class EmbeddedError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message)
  }
}

export interface TomlPlacement {
  /** Pointer of the TOML text in the file's data; empty for a standalone config.toml. */
  pointerBase: string
  docIndex: number
  /** Maps a position in the TOML text to the file. */
  map: PositionMap
  /** Names the text in a parse error, e.g. `runners.config`; a standalone file's errors need no name. */
  label?: string
  values?: ValuesTarget
  fromChartDefault?: boolean
  runnerVersion?: string
}

/**
 * The one place a config.toml target is built, wherever the TOML sits (its own file, a ConfigMap key, the chart's
 * `runners.config`). A syntax error is thrown as an EmbeddedError at its position in the file.
 */
export function tomlTarget(text: string, placement: TomlPlacement): TomlTarget {
  const toml = parseTomlText(text)
  const {map} = placement
  if (toml.error) {
    const at = map(toml.error.position)
    throw new EmbeddedError(placement.label ? `${placement.label}: ${toml.error.message}` : toml.error.message, at.line, at.column)
  }
  const fromChartDefault = placement.fromChartDefault ?? false
  return {
    type: 'config-toml',
    data: toml.data!,
    pointerBase: placement.pointerBase,
    docIndex: placement.docIndex,
    locate: (p) => mapSpan(toml.locate(p), map),
    ...(placement.values ? {values: placement.values} : {}),
    fromChartDefault,
    // The chart's default config is not in the file, so its template actions are not the user's to hear about.
    templateNotes: fromChartDefault
      ? []
      : toml.notes.map((n) => ({
          ...n,
          span: {start: map(n.position), end: map({line: n.position.line, column: n.position.column + n.action.length})},
        })),
    runnerVersion: placement.runnerVersion,
  }
}
