import type {TemplateNote} from './helm-template.js'
import type {Span} from './position.js'

/** Helm chart values for gitlab/gitlab-runner, wherever they sit in the file. */
export interface ValuesTarget {
  type: 'values'
  /** Values merged over the chart's defaults for the chart version. */
  data: Record<string, unknown>
  /** Values exactly as written. */
  user: Record<string, unknown>
  /** Where the values sit in the file, e.g. `/spec/values` in a Flux HelmRelease. */
  pointerBase: string
  docIndex: number
  locate(pointer: string): Span
  chartVersion: string
  runnerVersion?: string
}

/** A runner config.toml (standalone, inside a ConfigMap, or the chart's `runners.config`). */
export interface TomlTarget {
  type: 'config-toml'
  data: Record<string, unknown>
  pointerBase: string
  docIndex: number
  locate(pointer: string): Span
  /** Set when the TOML is the chart's `runners.config`: global settings then come from these values. */
  values?: ValuesTarget
  /** The TOML came from the chart's default `runners.config`, not from the file. */
  fromChartDefault: boolean
  templateNotes: Array<TemplateNote & {span: Span}>
  runnerVersion?: string
}

export type LintTarget = ValuesTarget | TomlTarget
