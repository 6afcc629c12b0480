import {readFileSync} from 'node:fs'

import {buildAgentSource} from '../agent/bundle-path.js'
import type {AgentOptions} from '../agent/options.js'
import {couldNotRunReport} from '../report/summary.js'
import type {CheckResult, ProbeReport} from '../types.js'
import {cleanupLeftovers, type ClusterProbeOptions, ProbeInterruptedError, runClusterProbe} from './index.js'
import {KUBECTL_PROXY_NOTE} from './exec-diagnosis.js'
import {chooseIdentity, runnerPermissionsCheck, runnerServiceAccountName} from './identity.js'
import {
  ClientKubeApi,
  KubeConfigError,
  KubeError,
  type PreparedKubeConfig,
  prepareKubeConfig,
  toKubeError,
  withIdentity,
} from './kube-api.js'
import {runnerNamespace, type RunnerSettings} from './mirror-pod.js'
import {readRunnerSettings, RunnerSettingsError} from './runner-settings.js'

/** What `runner-doctor probe` passes for the cluster modes, already parsed. */
export interface ClusterCommandInput extends Pick<
  ClusterProbeOptions,
  'namespace' | 'image' | 'dindImage' | 'dindTls' | 'job' | 'pod' | 'jobId'
> {
  kubeconfig?: string
  context?: string
  /** kubectl's --as / --as-group: the identity every call impersonates. */
  as?: string
  asGroup?: string
  /** A CA bundle here whose content the checks in the pod trust (`--tls-ca-file`). */
  tlsCaFile?: string
  config?: string
  runner?: string
  /** With pod or jobId: add an ephemeral container when no container of the job pod has node. */
  ephemeral?: boolean
  allNodes?: boolean
  parallel?: number
  cleanup?: boolean
  startTimeoutMs?: number
  checksTimeoutMs?: number
  pollIntervalMs?: number
  requestTimeoutMs?: number
  agentOptions: AgentOptions
}

export interface ClusterCommandResult {
  /** Absent for `--cleanup`, which prints progress only. */
  report?: ProbeReport
  exitCode: number
}

/** The options JSON travels as one command-line argument (and in the exec URL): a private CA fits, a whole system bundle does not. */
const MAX_CA_BYTES = 64 * 1024

/**
 * The CA bundle the checks in the pod trust: --tls-ca-file, else the runner's tls-ca-file when that path is readable
 * here (it names a file on the runner's machine, often only there).
 */
function caBundleForPod(
  flag: string | undefined,
  runner: RunnerSettings | undefined,
  progress: (message: string) => void,
): string | undefined {
  const fromRunner = typeof runner?.settings?.['tls-ca-file'] === 'string' ? (runner.settings['tls-ca-file'] as string) : undefined
  const path = flag ?? fromRunner
  if (!path) return undefined
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (flag)
      throw new Error(`--tls-ca-file ${flag} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        cause: error,
      })
    progress(
      `The runner's tls-ca-file ${path} is not readable here, so the checks in the pod do not trust it; pass --tls-ca-file with a copy.`,
    )
    return undefined
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`)
  if (Buffer.byteLength(text) > MAX_CA_BYTES)
    throw new Error(
      `${path} is ${Buffer.byteLength(text)} bytes; the pod takes at most ${MAX_CA_BYTES} (pass ` +
        `only the CAs that matter, not a whole system bundle).`,
    )
  if (!flag) progress(`Trusting the runner's tls-ca-file ${path} in the pod.`)
  return text
}

/** A proxy URL without its password, for messages. */
function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy)
    if (url.password) url.password = 'redacted'
    return url.href
  } catch {
    return proxy
  }
}

/** Inside a pod dind starts next to the checks; a shell default of a few seconds would call it dead too early. */
const MIN_POD_DIND_WAIT_MS = 60_000

/** Where the flags say the checks run (`--cleanup` runs none). */
function checksMode(input: ClusterCommandInput): ClusterProbeOptions['mode'] {
  if (input.pod || input.jobId) return input.ephemeral ? 'ephemeral' : 'job-pod'
  return input.allNodes ? 'all-nodes' : 'mirror-pod'
}

export async function runClusterCommand(input: ClusterCommandInput, progress: (message: string) => void): Promise<ClusterCommandResult> {
  const mode = checksMode(input)
  const intoJobPod = mode === 'job-pod' || mode === 'ephemeral'
  // --cleanup writes no report, only progress: a cleanup that cannot start says so the same way.
  const failed = (reason: string): ClusterCommandResult => {
    if (!input.cleanup) return {report: couldNotRunReport(mode, reason, 0), exitCode: 2}
    progress(`Cleanup failed: ${reason}`)
    return {exitCode: 2}
  }
  let prepared: PreparedKubeConfig
  try {
    prepared = prepareKubeConfig({kubeconfig: input.kubeconfig, context: input.context, identity: {as: input.as, asGroup: input.asGroup}})
  } catch (error) {
    if (error instanceof KubeConfigError) return failed(error.message)
    throw error
  }
  let kube = new ClientKubeApi(prepared, {requestTimeoutMs: input.requestTimeoutMs})
  if (prepared.proxy) progress(`Reaching the API through the proxy ${redactProxy(prepared.proxy)}.`)
  if (prepared.plainHttpLoopback && intoJobPod) progress(KUBECTL_PROXY_NOTE)
  if (input.cleanup) {
    const namespace = input.namespace ?? kube.defaultNamespace
    try {
      const result = await cleanupLeftovers({namespace}, {kube, progress})
      progress(
        result.deleted.length || result.failed.length
          ? `Removed ${result.deleted.length} probe pod(s) from namespace ${namespace}.`
          : `No probe pods in namespace ${namespace}.`,
      )
      return {exitCode: result.failed.length ? 2 : 0}
    } catch (error) {
      progress(`Cleanup failed: ${toKubeError(error).message}`)
      return {exitCode: 2}
    }
  }
  let runner
  try {
    runner = input.config ? await readRunnerSettings(input.config, input.runner) : undefined
  } catch (error) {
    if (error instanceof RunnerSettingsError) return failed(error.message)
    throw error
  }
  const namespace = input.namespace ?? runnerNamespace(runner) ?? kube.defaultNamespace
  const identityChecks: CheckResult[] = []
  try {
    const named = input.config && !input.as ? await runnerServiceAccountName(input.config) : undefined
    const choice = await chooseIdentity(kube, {as: input.as, asGroup: input.asGroup}, named && {namespace, ...named})
    progress(choice.note)
    identityChecks.push(...choice.checks)
    if (choice.identity.as && !input.as)
      kube = new ClientKubeApi(withIdentity(prepared, choice.identity), {requestTimeoutMs: input.requestTimeoutMs})
    const actingAs = choice.identity.as
    if (actingAs?.startsWith('system:serviceaccount:') && runner)
      identityChecks.push(await runnerPermissionsCheck(kube, actingAs, namespace, runner))
  } catch (error) {
    const failure = toKubeError(error)
    if (failure.kind === 'other' && !(error instanceof KubeError)) throw error
    return failed(`The Kubernetes API of cluster "${kube.clusterName}" could not be used: ${failure.message}`)
  }
  let tlsCaPem: string | undefined
  try {
    tlsCaPem = caBundleForPod(input.tlsCaFile, runner, progress)
  } catch (error) {
    return failed((error as Error).message)
  }
  const options: ClusterProbeOptions = {
    mode,
    namespace,
    extraChecks: identityChecks,
    runner,
    image: input.image,
    dindImage: input.dindImage,
    dindTls: input.dindTls,
    job: input.job,
    pod: input.pod,
    jobId: input.jobId,
    parallelism: input.parallel,
    startTimeoutMs: input.startTimeoutMs,
    runTimeoutMs: input.checksTimeoutMs,
    pollIntervalMs: input.pollIntervalMs,
    agentOptions: {
      ...(intoJobPod
        ? input.agentOptions
        : {...input.agentOptions, dindWaitMs: Math.max(input.agentOptions.dindWaitMs ?? 0, MIN_POD_DIND_WAIT_MS)}),
      // Read by the agent's entry (src/probe/agent/main.ts), which writes it to a file in the pod.
      ...(tlsCaPem ? ({tlsCaPem} as AgentOptions) : {}),
    },
  }
  try {
    const report = await runClusterProbe(options, {kube, agentSource: buildAgentSource, progress})
    return {report, exitCode: report.summary.exitCode}
  } catch (error) {
    if (error instanceof ProbeInterruptedError) {
      progress(error.leftovers.length ? `Stopped; could not remove ${error.leftovers.join(', ')}.` : 'Stopped; nothing was left behind.')
      return {exitCode: error.exitCode}
    }
    throw error
  }
}
