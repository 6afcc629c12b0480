import type {YamlLimits} from './yaml-source.js'

export interface AnalyzeOptions {
  chartVersion: string
  /** Set when the user named the chart version; a version found in the file is then ignored. */
  chartVersionFromFlag: boolean
  runnerVersion?: string
  yamlLimits?: YamlLimits
}
