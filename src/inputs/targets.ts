import type {CiRunner} from '../model/runners.js'
import type {TemplateNote} from './helm-template.js'
import type {Span} from './position.js'

/** What every target has: its data, and where it sits in the file. */
interface PlacedTarget {
  data: Record<string, unknown>
  /** Where the data sits in the file, e.g. `/spec/values` in a Flux HelmRelease. */
  pointerBase: string
  docIndex: number
  /** The span in the file of a pointer into `data`. */
  locate(pointer: string): Span
}

/** Helm chart values for gitlab/gitlab-runner, wherever they sit in the file; `data` is merged over the chart's defaults. */
export interface ValuesTarget extends PlacedTarget {
  type: 'values'
  /** Values exactly as written. */
  user: Record<string, unknown>
  chartVersion: string
  runnerVersion?: string
  /** Set when other files complete these values (`spec.valuesFrom`, `valueFiles`, a helmfile value list): rules then
   * judge only what is written here, never a chart default the other files may override. */
  completedBy?: string
  /** Values given through Terraform's `set_sensitive`: never printed, whatever key they are under. */
  sensitive?: string[]
  /** The chart version constraint the wrapper wrote (Flux `spec.chart.spec.version`), where the file says it. */
  chartConstraint?: {written: string | undefined; pointer: string; span: Span}
}

/** A runner config.toml (standalone, inside a ConfigMap, or the chart's `runners.config`). */
export interface TomlTarget extends PlacedTarget {
  type: 'config-toml'
  /** Set when the TOML is the chart's `runners.config`: global settings then come from these values. */
  values?: ValuesTarget
  /** The TOML came from the chart's default `runners.config`, not from the file. */
  fromChartDefault: boolean
  templateNotes: Array<TemplateNote & {span: Span}>
  runnerVersion?: string
}

/** A project's .gitlab-ci.yml: its jobs are checked against the runner configs linted in the same run. */
export interface GitlabCiTarget extends PlacedTarget {
  type: 'gitlab-ci'
  /** Filled in by the lint run once every file has been read; empty when no runner config was given. */
  runners: CiRunner[]
  runnerVersion?: undefined
}

export type {CiRunner}

export type LintTarget = ValuesTarget | TomlTarget | GitlabCiTarget
