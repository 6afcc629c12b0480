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
  | 'skipped'

/** Why a file could not be read or parsed, at a 1-based line and column of the file. */
export interface FileError {
  message: string
  line: number
  column: number
}
