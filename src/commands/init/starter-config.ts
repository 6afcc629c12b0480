import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CONFIG_FILE_NAME} from '../../lint/config.js'
import {configSchemaUrl} from '../../lint/config-schema.js'

/**
 * The commented `.runner-doctor.yaml` that `init` writes. Every setting is shown, with its default commented out,
 * so the file documents itself; the first line points editors (yaml-language-server: VS Code, JetBrains, Neovim)
 * at the published JSON Schema for completion and checking.
 */
export function starterConfig(version: string): string {
  return `# yaml-language-server: $schema=${configSchemaUrl(version)}
# runner-doctor configuration. \`runner-doctor lint\` finds this file upward from each file it checks,
# or takes one with --config. Every setting is optional; the commented lines show the defaults.

# Rule set to start from: recommended, or all.
extends: recommended

# Severity per rule: error, warning, info or off. \`runner-doctor rules\` lists the rule ids and
# \`runner-doctor explain <id>\` shows what a rule checks.
rules: {}
#  toml-image-unpinned: error
#  values-manager-resources-missing: off

# Findings you accept, each with the reason. rules, files (globs) and pointers narrow what is covered.
exemptions: []
#  - rules: [toml-privileged]
#    files: ["clusters/build-pool/*.yaml"]
#    pointers: [/runners/config/runners/0]
#    reason: dind on the isolated, tainted build pool

# What the cluster can give to job pods, for the concurrency checks (Kubernetes quantities).
# capacity:
#   cpu: "64"
#   memory: 256Gi
#   servicesPerJob: 1

# Chart and runner versions the values are written for (default: read from the files, else the newest known).
# chartVersion: 0.86.0
# runnerVersion: 18.6.0
`
}

export class ConfigExistsError extends Error {}

/** Writes the starter file into `dir`; an existing file is kept unless `force`. Returns the path written. */
export function writeStarterConfig(dir: string, version: string, force: boolean): string {
  const path = join(dir, CONFIG_FILE_NAME)
  if (!force && existsSync(path)) throw new ConfigExistsError(`${path} already exists; pass --force to replace it.`)
  writeFileSync(path, starterConfig(version))
  return path
}
