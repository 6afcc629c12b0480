import {isIP} from 'node:net'
import {Pod} from 'kubernetes-models/v1'
import type {V1Container, V1EphemeralContainer, V1Pod} from '@kubernetes/client-node'
import {failure, type StatusCause, StatusError} from './status.js'

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/

/** `/spec/containers/0/image` → `spec.containers[0].image`, the way the API server names fields. */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('')
}

type AjvError = {instancePath: string; keyword: string; message?: string; params?: Record<string, unknown>}

function schemaCauses(pod: V1Pod): StatusCause[] {
  try {
    new Pod(pod as ConstructorParameters<typeof Pod>[0]).validate()
    return []
  } catch (error) {
    const errors = ((error as {errors?: AjvError[]}).errors ?? []).filter((e) => e.keyword !== 'oneOf')
    const seen = new Set<string>()
    return errors
      .map((e): StatusCause => {
        const field = fieldPath(e.instancePath)
        if (e.keyword === 'enum') {
          const allowed = (e.params?.allowedValues as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join(', ')
          return {
            reason: 'FieldValueNotSupported',
            field,
            message: `Unsupported value: ${JSON.stringify(valueAt(pod, e.instancePath))}: supported values: ${allowed}`,
          }
        }
        if (e.keyword === 'required') {
          const missing = `${field}.${String(e.params?.missingProperty)}`
          return {reason: 'FieldValueRequired', field: missing, message: 'Required value'}
        }
        return {
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${JSON.stringify(valueAt(pod, e.instancePath))}: ${e.message ?? 'invalid'}`,
        }
      })
      .filter((cause) => {
        const key = `${cause.field}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
  }
}

function valueAt(root: unknown, instancePath: string): unknown {
  return instancePath
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root)
}

/** CPU in millicores, memory in bytes; enough of `resource.Quantity` to compare requests with limits. */
export function quantityValue(quantity: string): number {
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity)
  if (!match) return Number.NaN
  const factors: Record<string, number> = {m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4}
  return Number(match[1]) * (match[2] ? factors[match[2]]! : 1)
}

function containerCauses(
  containers: (V1Container | V1EphemeralContainer)[],
  base: string,
  volumeNames: Set<string>,
  names: Set<string>,
): StatusCause[] {
  const causes: StatusCause[] = []
  containers.forEach((container, index) => {
    const at = `${base}[${index}]`
    if (!container.name) causes.push({reason: 'FieldValueRequired', field: `${at}.name`, message: 'Required value'})
    else if (!DNS_LABEL.test(container.name) || container.name.length > 63)
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${at}.name`,
        message:
          `Invalid value: "${container.name}": a lowercase RFC 1123 label must consist of lower case ` +
          `alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      })
    else if (names.has(container.name))
      causes.push({reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${container.name}"`})
    if (container.name) names.add(container.name)
    if (!container.image) causes.push({reason: 'FieldValueRequired', field: `${at}.image`, message: 'Required value'})
    for (const [mountIndex, mount] of (container.volumeMounts ?? []).entries()) {
      if (!volumeNames.has(mount.name))
        causes.push({reason: 'FieldValueNotFound', field: `${at}.volumeMounts[${mountIndex}].name`, message: `Not found: "${mount.name}"`})
    }
    const resources = (container as V1Container).resources
    for (const [resource, request] of Object.entries(resources?.requests ?? {})) {
      const limit = resources?.limits?.[resource]
      if (limit !== undefined && quantityValue(String(request)) > quantityValue(String(limit))) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${at}.resources.requests`,
          message: `Invalid value: "${request}": must be less than or equal to ${resource} limit of ${limit}`,
        })
      }
    }
  })
  return causes
}

/** Checks kube-apiserver does beyond the OpenAPI schema, for the fields the probe sets. */
function semanticCauses(pod: V1Pod): StatusCause[] {
  const causes: StatusCause[] = []
  const meta = pod.metadata ?? {}
  if (!meta.name && !meta.generateName)
    causes.push({reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required'})
  if (meta.name && (!DNS_SUBDOMAIN.test(meta.name) || meta.name.length > 253))
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message:
        `Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case ` + `alphanumeric characters, '-' or '.'`,
    })
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key
    if (!QUALIFIED_NAME.test(name) || name.length > 63)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
      })
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.labels',
        message:
          `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric ` +
          `characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      })
  }
  const spec = pod.spec
  if (!spec) return [...causes, {reason: 'FieldValueRequired', field: 'spec', message: 'Required value'}]
  if (!spec.containers?.length) causes.push({reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value'})
  const volumeNames = new Set((spec.volumes ?? []).map((v) => v.name))
  const names = new Set<string>()
  causes.push(...containerCauses(spec.initContainers ?? [], 'spec.initContainers', volumeNames, names))
  causes.push(...containerCauses(spec.containers ?? [], 'spec.containers', volumeNames, names))
  causes.push(...containerCauses(spec.ephemeralContainers ?? [], 'spec.ephemeralContainers', volumeNames, names))
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig?.nameservers?.length)
    causes.push({
      reason: 'FieldValueRequired',
      field: 'spec.dnsConfig',
      message: 'Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    })
  const nameservers = spec.dnsConfig?.nameservers ?? []
  if (nameservers.length > 3)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.dnsConfig.nameservers',
      message: `Invalid value: ${JSON.stringify(nameservers)}: must not have more than 3 nameservers`,
    })
  nameservers.forEach((ns, index) => {
    if (!isIP(ns))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.dnsConfig.nameservers[${index}]`,
        message: `Invalid value: "${ns}": must be a valid IP address`,
      })
  })
  ;(spec.hostAliases ?? []).forEach((alias, index) => {
    if (!isIP(alias.ip ?? ''))
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.hostAliases[${index}].ip`,
        message: `Invalid value: "${alias.ip}": must be a valid IP address`,
      })
  })
  ;(spec.tolerations ?? []).forEach((toleration, index) => {
    if (toleration.operator === 'Exists' && toleration.value)
      causes.push({
        reason: 'FieldValueInvalid',
        field: `spec.tolerations[${index}].operator`,
        message: `Invalid value: "${toleration.value}": value must be empty when \`operator\` is 'Exists'`,
      })
    if (toleration.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(toleration.effect))
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `spec.tolerations[${index}].effect`,
        message: `Unsupported value: "${toleration.effect}": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`,
      })
  })
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.activeDeadlineSeconds',
      message: `Invalid value: ${spec.activeDeadlineSeconds}: must be greater than or equal to 1`,
    })
  return causes
}

/** Throws the 422 Status kube-apiserver sends for an invalid pod. */
export function validatePod(pod: V1Pod): void {
  // Stored objects carry Date values; the schema describes their JSON form, as the API server sees it.
  pod = JSON.parse(JSON.stringify(pod)) as V1Pod
  const causes = [...schemaCauses(pod), ...semanticCauses(pod)]
  if (causes.length === 0) return
  const name = pod.metadata?.name ?? pod.metadata?.generateName ?? ''
  const text = causes.map((c) => `${c.field}: ${c.message}`)
  const message = `Pod "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`
  throw failure(422, 'Invalid', message, {name, kind: 'Pod', causes})
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted'

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
])

function quoted(names: string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${names.map((n) => `"${n}"`).join(', ')}`
}

/** The violations Pod Security Admission would list for a pod at a level, in its wording. */
export function podSecurityViolations(pod: V1Pod, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return []
  const spec = pod.spec!
  const containers: (V1Container | V1EphemeralContainer)[] = [
    ...(spec.initContainers ?? []),
    ...spec.containers,
    ...(spec.ephemeralContainers ?? []),
  ]
  const violations: string[] = []
  const hostNamespaces = [spec.hostNetwork && 'hostNetwork=true', spec.hostPID && 'hostPID=true', spec.hostIPC && 'hostIPC=true'].filter(
    Boolean,
  )
  if (hostNamespaces.length) violations.push(`host namespaces (${hostNamespaces.join(', ')})`)
  const privileged = containers.filter((c) => c.securityContext?.privileged === true).map((c) => c.name)
  if (privileged.length) violations.push(`privileged (${quoted(privileged)} must not set securityContext.privileged=true)`)
  if (level === 'baseline') {
    const extra = containers.flatMap((c) =>
      (c.securityContext?.capabilities?.add ?? [])
        .filter((cap) => !BASELINE_CAPABILITIES.has(cap))
        .map((cap) => `container "${c.name}" must not include "${cap}" in securityContext.capabilities.add`),
    )
    if (extra.length) violations.push(`non-default capabilities (${extra.join('; ')})`)
  }
  const hostPaths = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => `"${v.name}"`)
  if (hostPaths.length) violations.push(`hostPath volumes (${hostPaths.length === 1 ? 'volume' : 'volumes'} ${hostPaths.join(', ')})`)
  if (level === 'restricted') {
    const escalating = containers.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name)
    if (escalating.length)
      violations.push(`allowPrivilegeEscalation != false (${quoted(escalating)} must set securityContext.allowPrivilegeEscalation=false)`)
    const capabilityProblems = containers.flatMap((c) => {
      const problems: string[] = []
      if (!(c.securityContext?.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`container "${c.name}" must set securityContext.capabilities.drop=["ALL"]`)
      const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE')
      if (added.length)
        problems.push(`container "${c.name}" must not include ${added.map((a) => `"${a}"`).join(', ')} in securityContext.capabilities.add`)
      return problems
    })
    if (capabilityProblems.length) violations.push(`unrestricted capabilities (${capabilityProblems.join('; ')})`)
    const podNonRoot = spec.securityContext?.runAsNonRoot === true
    const rootContainers = containers
      .filter((c) => c.securityContext?.runAsNonRoot !== true && !(podNonRoot && c.securityContext?.runAsNonRoot !== false))
      .map((c) => c.name)
    if (rootContainers.length)
      violations.push(`runAsNonRoot != true (pod or ${quoted(rootContainers)} must set securityContext.runAsNonRoot=true)`)
    const podSeccomp = spec.securityContext?.seccompProfile?.type
    const noSeccomp = containers
      .filter((c) => !['RuntimeDefault', 'Localhost'].includes(c.securityContext?.seccompProfile?.type ?? podSeccomp ?? ''))
      .map((c) => c.name)
    if (noSeccomp.length)
      violations.push(
        `seccompProfile (pod or ${quoted(noSeccomp)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
      )
  }
  return violations
}

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce'
export const WARN_LABEL = 'pod-security.kubernetes.io/warn'

function levelFrom(labels: Record<string, string>, key: string): PodSecurityLevel | undefined {
  const value = labels[key]
  return value === 'baseline' || value === 'restricted' || value === 'privileged' ? value : undefined
}

/** Enforces the namespace's PodSecurity labels; returns the warnings for a `warn` label. */
export function admitPodSecurity(pod: V1Pod, namespaceLabels: Record<string, string>): string[] {
  const name = pod.metadata?.name ?? ''
  const enforce = levelFrom(namespaceLabels, ENFORCE_LABEL)
  if (enforce) {
    const version = namespaceLabels[`${ENFORCE_LABEL}-version`] ?? 'latest'
    const violations = podSecurityViolations(pod, enforce)
    if (violations.length) {
      throw failure(
        403,
        'Forbidden',
        `pods "${name}" is forbidden: violates PodSecurity "${enforce}:${version}": ${violations.join(', ')}`,
        {name, kind: 'pods'},
      )
    }
  }
  const warn = levelFrom(namespaceLabels, WARN_LABEL)
  if (!warn) return []
  const violations = podSecurityViolations(pod, warn)
  return violations.length
    ? [`would violate PodSecurity "${warn}:${namespaceLabels[`${WARN_LABEL}-version`] ?? 'latest'}": ${violations.join(', ')}`]
    : []
}

export {StatusError}
