import {isPlainObject} from '../chart.js'
import type {ContainerKind} from '../executor/containers.js'
import {containerPrivileged} from '../executor/containers.js'
import {hostPathVolumes} from '../executor/volumes.js'
import {stringList} from '../literals.js'

/*
 * The Pod Security Standards checks (k8s.io/pod-security-admission, policy/check_*.go) that settings of
 * `[runners.kubernetes]` can fail, applied to the job pod the runner builds. Each violation carries the pointer of
 * the setting that causes it, relative to the runner's `kubernetes` table.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted'

export interface PodSecurityViolation {
  /** The check's name as the admission message words it ("privileged", "hostPath volumes" ...). */
  check: string
  detail: string
  pointer: string
  level: 'baseline' | 'restricted'
}

/** Capabilities baseline lets a container add (check_capabilities_baseline.go). */
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

const CONTAINER_KINDS: ContainerKind[] = ['build', 'helper', 'service']

const capabilityName = (cap: string) => cap.toUpperCase().replace(/^CAP_/, '')

/** Capabilities added to some job container, each with the pointer of the list entry that adds it. */
function addedCapabilities(kubernetes: Record<string, unknown>): Array<{name: string; pointer: string}> {
  const found = stringList(kubernetes.cap_add).map((cap, i) => ({name: capabilityName(cap), pointer: `/cap_add/${i}`}))
  for (const kind of CONTAINER_KINDS) {
    const context = kubernetes[`${kind}_container_security_context`]
    const capabilities = isPlainObject(context) && isPlainObject(context.capabilities) ? context.capabilities : undefined
    stringList(capabilities?.add).forEach((cap, i) =>
      found.push({name: capabilityName(cap), pointer: `/${kind}_container_security_context/capabilities/add/${i}`}),
    )
  }
  return found
}

/** A setting of a container kind's own security context, else the runner-wide one. */
function containerSetting(kubernetes: Record<string, unknown>, kind: ContainerKind, key: string): {value: unknown; pointer: string} {
  const context = kubernetes[`${kind}_container_security_context`]
  if (isPlainObject(context) && context[key] !== undefined)
    return {value: context[key], pointer: `/${kind}_container_security_context/${key}`}
  return {value: kubernetes[key], pointer: `/${key}`}
}

function baselineViolations(kubernetes: Record<string, unknown>): PodSecurityViolation[] {
  const out: PodSecurityViolation[] = []
  const privileged = CONTAINER_KINDS.filter((kind) => containerPrivileged(kubernetes, kind))
  if (privileged.length > 0) {
    const own = containerSetting(kubernetes, privileged[0], 'privileged')
    out.push({
      check: 'privileged',
      detail: `containers ${privileged.join(', ')} must not set securityContext.privileged=true`,
      pointer: own.pointer,
      level: 'baseline',
    })
  }
  const extra = addedCapabilities(kubernetes).filter((c) => !BASELINE_CAPABILITIES.has(c.name))
  if (extra.length > 0) {
    out.push({
      check: 'non-default capabilities',
      detail: `capabilities ${[...new Set(extra.map((c) => c.name))].join(', ')} must not be added`,
      pointer: extra[0].pointer,
      level: 'baseline',
    })
  }
  const hostPaths = hostPathVolumes(kubernetes)
  if (hostPaths.length > 0) {
    out.push({
      check: 'hostPath volumes',
      detail: `host_path volumes ${hostPaths.map((h) => h.path).join(', ')} are not allowed`,
      pointer: hostPaths[0].pointer,
      level: 'baseline',
    })
  }
  return out
}

function restrictedViolations(kubernetes: Record<string, unknown>): PodSecurityViolation[] {
  const out: PodSecurityViolation[] = []
  const escalating = CONTAINER_KINDS.map((kind) => ({kind, ...containerSetting(kubernetes, kind, 'allow_privilege_escalation')})).filter(
    (s) => s.value !== false,
  )
  if (escalating.length > 0) {
    out.push({
      check: 'allowPrivilegeEscalation != false',
      detail: `containers ${escalating.map((s) => s.kind).join(', ')} must set allow_privilege_escalation = false`,
      pointer: escalating[0].value === undefined ? '' : escalating[0].pointer,
      level: 'restricted',
    })
  }
  const dropsAll = stringList(kubernetes.cap_drop).some((c) => capabilityName(c) === 'ALL')
  if (!dropsAll)
    out.push({
      check: 'unrestricted capabilities',
      detail: 'containers must drop ALL capabilities (cap_drop = ["ALL"])',
      pointer: kubernetes.cap_drop === undefined ? '' : '/cap_drop',
      level: 'restricted',
    })
  const added = addedCapabilities(kubernetes).filter((c) => c.name !== 'NET_BIND_SERVICE')
  if (added.length > 0)
    out.push({
      check: 'unrestricted capabilities',
      detail: `containers may add only NET_BIND_SERVICE, not ${[...new Set(added.map((c) => c.name))].join(', ')}`,
      pointer: added[0].pointer,
      level: 'restricted',
    })
  const pod = isPlainObject(kubernetes.pod_security_context) ? kubernetes.pod_security_context : {}
  const nonRootEverywhere =
    pod.run_as_non_root === true || CONTAINER_KINDS.every((kind) => containerSetting(kubernetes, kind, 'run_as_non_root').value === true)
  if (!nonRootEverywhere)
    out.push({
      check: 'runAsNonRoot != true',
      detail: 'the pod must set run_as_non_root = true ([runners.kubernetes.pod_security_context])',
      pointer: pod.run_as_non_root === undefined ? '' : '/pod_security_context/run_as_non_root',
      level: 'restricted',
    })
  const seccompOk = (profile: unknown) => isPlainObject(profile) && (profile.type === 'RuntimeDefault' || profile.type === 'Localhost')
  if (
    !seccompOk(pod.seccomp_profile) &&
    !CONTAINER_KINDS.every((kind) => seccompOk(containerSetting(kubernetes, kind, 'seccomp_profile').value))
  ) {
    out.push({
      check: 'seccompProfile',
      detail: 'the pod must set a seccomp_profile of type RuntimeDefault or Localhost',
      pointer: pod.seccomp_profile === undefined ? '' : '/pod_security_context/seccomp_profile',
      level: 'restricted',
    })
  }
  return out
}

/** The violations of the namespace's enforce level the job pod of these settings would be rejected for. */
export function podSecurityViolations(kubernetes: Record<string, unknown>, level: PodSecurityLevel): PodSecurityViolation[] {
  if (level === 'privileged') return []
  const baseline = baselineViolations(kubernetes)
  return level === 'baseline' ? baseline : [...baseline, ...restrictedViolations(kubernetes)]
}

export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
  return value === 'privileged' || value === 'baseline' || value === 'restricted'
}
