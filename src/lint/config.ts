import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {parseYamlStream} from '../inputs/yaml-source.js'
import {LineIndex} from '../inputs/position.js'
import {locateInYaml, decodePointer} from '../inputs/yaml-source.js'
import {parseQuantity} from '../model/quantity.js'
import {CONFIG_SCHEMA} from './config-schema.js'
import {precompiledValidator} from './rule.js'
import {createAjv} from '../util/ajv.js'
import type {Severity} from './types.js'

export const CONFIG_FILE_NAME = '.runner-doctor.yaml'

export interface Exemption {
  rules?: string[]
  files?: string[]
  pointers?: string[]
  reason: string
}

export interface RunnerDoctorConfig {
  path?: string
  extends: 'recommended' | 'all'
  rules: Record<string, Severity | 'off'>
  exemptions: Exemption[]
  capacity: {cpu?: number; memory?: number; servicesPerJob?: number}
  chartVersion?: string
  runnerVersion?: string
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message)
  }
}

export const EMPTY_CONFIG: RunnerDoctorConfig = {extends: 'recommended', rules: {}, exemptions: [], capacity: {}}

/**
 * Finds `.runner-doctor.yaml` in the directory or the nearest parent. `known` holds the answers of a run so far, by
 * directory: the files of one directory, and the directories above them, are looked up once.
 */
export function findConfigUpward(start: string, known?: Map<string, string | undefined>): string | undefined {
  const asked: string[] = []
  let found: string | undefined
  for (let dir = resolve(start); ;) {
    if (known?.has(dir)) {
      found = known.get(dir)
      break
    }
    asked.push(dir)
    const candidate = join(dir, CONFIG_FILE_NAME)
    if (existsSync(candidate)) {
      found = candidate
      break
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  for (const dir of asked) known?.set(dir, found)
  return found
}

export async function loadConfig(path: string): Promise<RunnerDoctorConfig> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(
      path,
      1,
      1,
      `Cannot read the configuration: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    )
  }
  const lines = new LineIndex(text)
  const [doc] = parseYamlStream(text)
  if (!doc || doc.data === null || doc.data === undefined) return {...EMPTY_CONFIG, path}
  if (doc.error) {
    const at = lines.position(doc.error.offset)
    throw new ConfigError(path, at.line, at.column, doc.error.message)
  }
  const validate = (await precompiledValidator('__config')) ?? (await createAjv({allErrors: false})).compile(CONFIG_SCHEMA)
  if (!validate(doc.data)) {
    const err = validate.errors![0] as {instancePath: string; message?: string; params: Record<string, unknown>}
    const at = locateInYaml(doc.doc, decodePointer(err.instancePath), lines).span.start
    const extra = err.params && 'additionalProperty' in err.params ? ` "${String(err.params.additionalProperty)}"` : ''
    const field = err.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : 'configuration'
    throw new ConfigError(path, at.line, at.column, `${field} ${err.message}${extra}.`)
  }
  const data = doc.data as {
    extends?: 'recommended' | 'all'
    rules?: Record<string, Severity | 'off'>
    exemptions?: Exemption[]
    capacity?: {cpu?: string | number; memory?: string | number; servicesPerJob?: number}
    chartVersion?: string
    runnerVersion?: string
  }
  const capacity: RunnerDoctorConfig['capacity'] = {}
  for (const key of ['cpu', 'memory'] as const) {
    const raw = data.capacity?.[key]
    if (raw === undefined) continue
    const parsed = parseQuantity(raw)
    if (parsed === undefined) {
      const at = locateInYaml(doc.doc, ['capacity', key], lines).span.start
      throw new ConfigError(path, at.line, at.column, `capacity.${key} "${String(raw)}" is not a Kubernetes quantity.`)
    }
    capacity[key] = parsed
  }
  if (data.capacity?.servicesPerJob !== undefined) capacity.servicesPerJob = data.capacity.servicesPerJob
  return {
    path,
    extends: data.extends ?? 'recommended',
    rules: data.rules ?? {},
    exemptions: data.exemptions ?? [],
    capacity,
    chartVersion: data.chartVersion,
    runnerVersion: data.runnerVersion,
  }
}
