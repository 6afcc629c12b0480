import {readFile} from 'node:fs/promises'
import {parse as parseYaml} from 'yaml'

import {EXECUTOR_PERMISSIONS, permissionText} from '../../model/cluster/runner-access.js'
import type {CheckResult} from '../types.js'
import type {Identity, KubeApi} from './kube-api.js'
import type {RunnerSettings} from './mirror-pod.js'

/*
 * Who the probe acts as. The runner's ServiceAccount is the identity that creates job pods, and RBAC, OpenShift SCCs,
 * Kyverno and Gatekeeper judge that identity: a cluster-admin at the keyboard passes where the runner's jobs are
 * rejected. So the probe acts as the runner when it can, and says so when it cannot.
 */

export interface RunnerServiceAccount {
  namespace: string
  name: string
  /** Where the name comes from, for messages: `serviceAccount.name in values.yaml`. */
  source: string
}

type Json = Record<string, unknown>
const record = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {})

/** The runner manager's ServiceAccount as a Helm values file names it (`serviceAccount.name`, older `rbac.serviceAccountName`). */
export async function runnerServiceAccountName(configPath: string): Promise<{name: string; source: string} | undefined> {
  let data: Json
  try {
    data = record(parseYaml(await readFile(configPath, 'utf8')))
  } catch {
    return undefined // a config.toml, or not YAML: it does not name the manager's ServiceAccount
  }
  const current = record(data.serviceAccount).name
  if (typeof current === 'string' && current !== '') return {name: current, source: `serviceAccount.name in ${configPath}`}
  const legacy = record(data.rbac).serviceAccountName
  if (typeof legacy === 'string' && legacy !== '') return {name: legacy, source: `rbac.serviceAccountName in ${configPath}`}
  return undefined
}

export const serviceAccountUser = (sa: {namespace: string; name: string}): string => `system:serviceaccount:${sa.namespace}:${sa.name}`

export interface IdentityChoice {
  identity: Identity
  /** A line for stderr saying whose permissions are checked. */
  note: string
  /** Report checks: whose permissions were checked when not the runner's. */
  checks: CheckResult[]
}

/** `--as` wins; else the runner's ServiceAccount when the kubeconfig user may impersonate it; else the user, said plainly. */
export async function chooseIdentity(
  kube: KubeApi,
  explicit: Identity,
  runnerSa: RunnerServiceAccount | undefined,
): Promise<IdentityChoice> {
  if (explicit.as)
    return {
      identity: explicit,
      note: `Acting as ${explicit.as}${explicit.asGroup ? ` (group ${explicit.asGroup})` : ''} (--as).`,
      checks: [],
    }
  const me = (await kube.whoAmI?.()) ?? 'the kubeconfig user'
  if (!runnerSa) {
    return {
      identity: {},
      note:
        `Acting as ${me}; the config names no runner ServiceAccount, so pass --as system:serviceaccount:NS:NAME ` +
        `to check the runner's own permissions.`,
      checks: [],
    }
  }
  const user = serviceAccountUser(runnerSa)
  const answer = await kube.selfSubjectAccessReview({
    verb: 'impersonate',
    resource: 'serviceaccounts',
    namespace: runnerSa.namespace,
    name: runnerSa.name,
  })
  if (answer.allowed)
    return {
      identity: {as: user},
      note:
        `Acting as the runner's ServiceAccount ${runnerSa.namespace}/${runnerSa.name} (${runnerSa.source}): ` +
        `the permission checks, the dry run and the pod are judged as the runner's are.`,
      checks: [],
    }
  return {
    identity: {},
    note: `Acting as ${me}: it may not impersonate the runner's ServiceAccount ${runnerSa.namespace}/${runnerSa.name}.`,
    checks: [
      {
        id: 'probe-identity',
        status: 'warn',
        summary:
          `Permissions and admission were checked for ${me}, not for the ` +
          `runner's ServiceAccount ${runnerSa.namespace}/${runnerSa.name}: ${me} ` +
          `may not impersonate it.`,
        evidence: [`${runnerSa.source}`, `impersonate serviceaccounts/${runnerSa.name} in namespace ${runnerSa.namespace}: denied`],
        cause:
          'A pass here does not prove the runner may create these pods: its RBAC, and admission policies ' +
          'that judge the requesting user (OpenShift SCCs, Kyverno, Gatekeeper), can still reject its jobs.',
        remediation: `Rerun as someone allowed to impersonate it (verb impersonate on serviceaccounts), or with a kubeconfig for ${user}.`,
        durationMs: 0,
      },
    ],
  }
}

/**
 * The runner's own RBAC for this config's features, asked as the runner (the kube passed in impersonates it). A
 * missing permission is named as the API server words it in a job log.
 */
export async function runnerPermissionsCheck(
  kube: KubeApi,
  user: string,
  namespace: string,
  runner: RunnerSettings | undefined,
): Promise<CheckResult> {
  const kubernetes = runner?.kubernetes ?? {}
  const needed = EXECUTOR_PERMISSIONS.filter((p) => p.neededBy(kubernetes))
  const answers = await Promise.all(
    needed.map((p) =>
      kube.selfSubjectAccessReview({verb: p.verb, resource: p.resource, subresource: p.subresource, group: p.group, namespace}),
    ),
  )
  const missing = needed.filter((_, i) => !answers[i]!.allowed)
  if (!missing.length) {
    return {
      id: 'runner-permissions',
      status: 'pass',
      summary: `${user} has the ${needed.length} permissions the executor uses for this config in namespace ${namespace}.`,
      evidence: needed.map(permissionText),
      durationMs: 0,
    }
  }
  return {
    id: 'runner-permissions',
    status: 'fail',
    summary:
      `${user} lacks ${missing.length} permission${missing.length === 1 ? '' : 's'} the executor ` +
      `needs in namespace ${namespace}: ${missing.map(permissionText).join(', ')}.`,
    evidence: missing.map(
      (p) =>
        `${p.subresource ? `${p.resource}/${p.subresource}` : p.resource} is forbidden: User "${user}" ` +
        `cannot ${p.verb} resource "${p.subresource ? `${p.resource}/${p.subresource}` : p.resource}" ` +
        `in API group "${p.group ?? ''}" in the namespace "${namespace}" (needed for ${p.purpose})`,
    ),
    cause: 'Jobs fail with these "is forbidden" errors when the executor reaches that step.',
    remediation:
      `Add the missing verbs to the Role bound to ${user} in namespace ${namespace} (GitLab Runner ` +
      `docs: "Configure runner API permissions").`,
    durationMs: 0,
  }
}
