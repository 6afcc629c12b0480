import type {LineIndex} from './position.js'
import type {LintTarget} from './targets.js'

/** What a file turned out to be, decided by its content. */
export type InputKind =
  | 'helm-values'
  | 'config-toml'
  | 'configmap'
  | 'flux-helmrelease'
  | 'argocd-application'
  | 'helmfile'
  | 'kustomization'
  | 'gitlab-ci'
  | 'terraform-helm-release'
  | 'registration-env'
  | 'skipped'

/** Why a file could not be read or parsed, at a 1-based line and column of the file. */
export interface FileError {
  message: string
  line: number
  column: number
}

/** Another file a release reads its values from (`templatefile("values.yaml.tpl", …)`, `file("config.toml")`). */
export interface FileReference {
  /** As written, relative to the directory of the referring file (`${path.module}/` removed). */
  path: string
  /** `helm_release.gitlab_runner`, to say in that file's report which release uses it. */
  usedBy: string
}

export interface AnalyzedFile {
  kind: InputKind
  targets: LintTarget[]
  skipped?: string
  error?: FileError
  /** The whole text, for inline suppression comments. */
  lines: LineIndex
  /** Files the configuration reads; lint notes the user in their reports when they are linted in the same run. */
  references?: FileReference[]
  /**
   * A file of a form that is mostly not runner configuration (Terraform without a gitlab-runner release): a
   * directory walk leaves it out of the report, a file named on the command line is reported as skipped.
   */
  quietInWalk?: boolean
}
