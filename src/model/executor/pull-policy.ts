import {stringList} from '../literals.js'

/*
 * `[runners.kubernetes] pull_policy` and `allowed_pull_policies` (common/config.go GetPullPolicies,
 * ConvertFromDockerPullPolicy; helpers/pull_policies ComputeEffectivePullPolicies; executors/kubernetes/internal/pull):
 * the runner takes its own lower-case names, one or a list. The list is a fallback chain: the first policy is
 * tried first, the next after a failed pull. allowed_pull_policies narrows the list to the policies in both, and a
 * job fails when none is left.
 */

/** Runner pull policy names and the Kubernetes imagePullPolicy each becomes. */
export const RUNNER_PULL_POLICIES: Readonly<Record<string, string>> = {
  always: 'Always',
  never: 'Never',
  'if-not-present': 'IfNotPresent',
}

export function isRunnerPullPolicy(value: string): boolean {
  return Object.hasOwn(RUNNER_PULL_POLICIES, value)
}

/** The runner name someone meant with a Kubernetes or otherwise misspelt one (IfNotPresent, if_not_present). */
export function meantPullPolicy(value: string): string | undefined {
  const squashed = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '')
  return Object.keys(RUNNER_PULL_POLICIES).find((name) => squashed(name) === squashed(value))
}

/**
 * The policies a job that names none is pulled with, in order: pull_policy (unset is `""`, the cluster default)
 * narrowed to allowed_pull_policies. `undefined` when the runner fails such jobs: a name it does not know, or no
 * policy left, which includes an unset pull_policy with an allowed_pull_policies that does not list `""`.
 */
export function effectivePullPolicies(pullPolicy: unknown, allowedPullPolicies: unknown): string[] | undefined {
  const listed = stringList(pullPolicy)
  const policies = listed.length > 0 ? listed : ['']
  const allowed = stringList(allowedPullPolicies)
  if (![...policies, ...allowed].every((p) => p === '' || isRunnerPullPolicy(p))) return undefined
  if (allowed.length === 0) return policies
  const left = policies.filter((p) => allowed.includes(p))
  return left.length > 0 ? left : undefined
}

/** The imagePullPolicy of the first pull of a job that names no policy; undefined for the cluster default or a failing config. */
export function firstKubernetesPullPolicy(pullPolicy: unknown, allowedPullPolicies: unknown): string | undefined {
  const first = effectivePullPolicies(pullPolicy, allowedPullPolicies)?.[0]
  return first ? RUNNER_PULL_POLICIES[first] : undefined
}
