import {isPlainObject} from '../../model/chart.js'
import {isRegistrationEnv, registrationEnvTarget} from '../registration-env.js'
import {decodePointer, locateInYaml} from '../yaml-source.js'
import {envMapTarget} from './configmap.js'
import {kindLabel, kindOf, skip, type Wrapper, type YamlContext} from './context.js'

/** Secret `data` is base64; what register reads is the decoded text. */
function decodedSecretData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value]),
  )
}

/** A Secret of registration variables (CI_SERVER_TOKEN with the rest, for envFrom): read, credentials left out. */
export const registrationSecret: Wrapper = {
  name: 'Secret of registration variables',
  match: (data) =>
    kindOf(data) === 'Secret' && [data.stringData, data.data].some((map) => isPlainObject(map) && isRegistrationEnv(Object.keys(map))),
  extract(ctx, data) {
    const targets = [
      isPlainObject(data.stringData) ? envMapTarget(ctx, 'stringData', data.stringData, true) : undefined,
      isPlainObject(data.data) ? envMapTarget(ctx, 'data', decodedSecretData(data.data), true) : undefined,
    ].filter((t) => t !== undefined)
    return targets.length > 0 ? {kind: 'registration-env', targets} : skip('Secret with only credentials among its registration variables')
  },
}

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}

interface EnvList {
  pointer: string
  env: unknown[]
}

/** The literal entries (`value:`, not `valueFrom:`) with their place in the list. */
function literalEntries(list: EnvList): Array<{name: string; value: unknown; index: number}> {
  return list.env.flatMap((entry, index) =>
    isPlainObject(entry) && typeof entry.name === 'string' && 'value' in entry ? [{name: entry.name, value: entry.value, index}] : [],
  )
}

/**
 * The env list that registers the runner: a main container's before an init container's (the chart's old manifests
 * copy the same list into both, and the main container's entrypoint is the one that registers).
 */
function registrationEnvList(data: Record<string, unknown>): EnvList | undefined {
  const kind = kindOf(data) ?? ''
  // Own keys only: a document whose kind is "__proto__" or "constructor" names no pod spec.
  const path = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined
  if (!path) return undefined
  let spec: unknown = data
  for (const key of path) spec = isPlainObject(spec) ? spec[key] : undefined
  if (!isPlainObject(spec)) return undefined
  for (const field of ['containers', 'initContainers']) {
    const containers = Array.isArray(spec[field]) ? spec[field] : []
    for (const [index, container] of containers.entries()) {
      if (!isPlainObject(container) || !Array.isArray(container.env)) continue
      const list = {pointer: `/${[...path, field, index, 'env'].join('/')}`, env: container.env}
      if (isRegistrationEnv(literalEntries(list).map((e) => e.name))) return list
    }
  }
  return undefined
}

function envListTarget(ctx: YamlContext, list: EnvList) {
  const pointerBase = (ctx.prefix ?? '') + list.pointer
  const segments = decodePointer(pointerBase)
  const spanAt = (path: Array<string | number>) => locateInYaml(ctx.doc, path.map(String), ctx.lines).span
  const entries = literalEntries(list).map(({name, value, index}) => ({name, value, span: spanAt([...segments, index, 'name'])}))
  return registrationEnvTarget(entries, {
    pointerBase,
    docIndex: ctx.docIndex,
    whole: spanAt(segments),
    runnerVersion: ctx.options.runnerVersion,
  })
}

/** A Deployment (or other workload) whose container registers a runner from literal `env` variables. */
export const registrationWorkload: Wrapper = {
  name: 'workload with registration variables',
  match: (data) => registrationEnvList(data) !== undefined,
  extract(ctx, data) {
    const target = envListTarget(ctx, registrationEnvList(data)!)
    return target
      ? {kind: 'registration-env', targets: [target]}
      : skip(`Kubernetes ${kindLabel(data)} whose registration variables are all empty`)
  },
}
