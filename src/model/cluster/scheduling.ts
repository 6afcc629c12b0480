import {isPlainObject} from '../chart.js'
import {stringList, stringOrEmpty} from '../literals.js'
import type {CpuMemory, NodeFacts, NodeUsage, Taint} from './facts.js'

/*
 * Which nodes a job pod can land on, from `[runners.kubernetes]` node_selector, node_tolerations and required node
 * affinity, and how many job pods fit on them: the scheduler's NodeUnschedulable, TaintToleration, NodeAffinity and
 * NodeResourcesFit filters, for a pod that asks for `perJob`.
 */

interface Toleration {
  key: string
  operator: 'Equal' | 'Exists'
  value: string
  effect: string
}

/** `node_tolerations = {"key=value" = "NoSchedule", "key" = ""}` as the runner turns them into tolerations (getPodTolerations). */
export function tolerationsOf(kubernetes: Record<string, unknown>): Toleration[] {
  const table = isPlainObject(kubernetes.node_tolerations) ? kubernetes.node_tolerations : {}
  return Object.entries(table).map(([spec, effect]) => {
    const eq = spec.indexOf('=')
    return eq >= 0
      ? {key: spec.slice(0, eq), operator: 'Equal' as const, value: spec.slice(eq + 1), effect: stringOrEmpty(effect)}
      : {key: spec, operator: 'Exists' as const, value: '', effect: stringOrEmpty(effect)}
  })
}

function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== '' && toleration.effect !== taint.effect) return false
  if (toleration.key === '' && toleration.operator === 'Exists') return true
  if (toleration.key !== taint.key) return false
  return toleration.operator === 'Exists' || toleration.value === (taint.value ?? '')
}

function matchesExpression(labels: Record<string, string>, expression: Record<string, unknown>): boolean {
  const key = stringOrEmpty(expression.key)
  const values = stringList(expression.values)
  const has = Object.hasOwn(labels, key)
  switch (stringOrEmpty(expression.operator)) {
    case 'In':
      return has && values.includes(labels[key])
    case 'NotIn':
      return !has || !values.includes(labels[key])
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
      return has && Number(labels[key]) > Number(values[0])
    case 'Lt':
      return has && Number(labels[key]) < Number(values[0])
    default:
      return false
  }
}

/** Required node affinity: any term whose expressions all match; no terms, no constraint. */
function matchesRequiredAffinity(kubernetes: Record<string, unknown>, labels: Record<string, string>): boolean {
  const affinity = isPlainObject(kubernetes.affinity) ? kubernetes.affinity : {}
  const node = isPlainObject(affinity.node_affinity) ? affinity.node_affinity : {}
  const required = isPlainObject(node.required_during_scheduling_ignored_during_execution)
    ? node.required_during_scheduling_ignored_during_execution
    : undefined
  const terms = Array.isArray(required?.node_selector_terms) ? required.node_selector_terms.filter(isPlainObject) : []
  if (terms.length === 0) return true
  return terms.some((term) => {
    const expressions = Array.isArray(term.match_expressions) ? term.match_expressions.filter(isPlainObject) : []
    return expressions.every((e) => matchesExpression(labels, e))
  })
}

/** Why a job pod cannot land on a node, or undefined when it can. */
export function whyNotEligible(kubernetes: Record<string, unknown>, node: NodeFacts): string | undefined {
  if (node.unschedulable) return 'cordoned'
  const tolerations = tolerationsOf(kubernetes)
  const untolerated = node.taints.find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerations.some((tol) => tolerates(tol, t)),
  )
  if (untolerated) return `taint ${untolerated.key}${untolerated.value ? `=${untolerated.value}` : ''}:${untolerated.effect}`
  const selector = isPlainObject(kubernetes.node_selector) ? kubernetes.node_selector : {}
  const mismatch = Object.entries(selector).find(([key, value]) => node.labels[key] !== String(value))
  if (mismatch) return `node_selector ${mismatch[0]}=${String(mismatch[1])}`
  if (!matchesRequiredAffinity(kubernetes, node.labels)) return 'node affinity'
  return undefined
}

/** How many pods asking `perJob` fit in a node's room (allocatable minus what is scheduled there). */
export function podsThatFit(node: NodeFacts, used: NodeUsage | undefined, perJob: CpuMemory): number {
  const room = {
    cpu: node.allocatable.cpuMillicores - (used?.cpuMillicores ?? 0),
    memory: node.allocatable.memoryBytes - (used?.memoryBytes ?? 0),
    pods: node.allocatable.pods - (used?.pods ?? 0),
  }
  const by = (free: number, each: number) => (each > 0 ? Math.floor(free / each) : Number.POSITIVE_INFINITY)
  return Math.max(0, Math.min(by(room.cpu, perJob.cpuMillicores), by(room.memory, perJob.memoryBytes), room.pods))
}

/** Node labels that show an autoscaler manages the node's group; none means the node count is all there is, as far as lint can tell. */
const AUTOSCALER_LABELS = [
  /^karpenter\.sh\//,
  /^cluster-autoscaler\.kubernetes\.io\//,
  /^eks\.amazonaws\.com\/nodegroup$/,
  /^cloud\.google\.com\/gke-nodepool$/,
  /^kubernetes\.azure\.com\/agentpool$/,
  /^autoscaling\.k8s\.io\//,
]

/** The first label on a node that names an autoscaled node group, if any. */
export function autoscalerLabel(nodes: NodeFacts[]): string | undefined {
  for (const node of nodes) {
    const label = Object.keys(node.labels).find((key) => AUTOSCALER_LABELS.some((pattern) => pattern.test(key)))
    if (label) return `${label}=${node.labels[label]}`
  }
  return undefined
}
