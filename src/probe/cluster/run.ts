import type {AgentOptions} from '../agent/options.js'
import type {CheckResult, ClusterMode} from '../types.js'
import type {PodLedger} from './cleanup.js'
import type {Interruption, SignalSource} from './interruption.js'
import type {KubeApi} from './kube-api.js'
import type {JobSettings, RunnerSettings} from './mirror-pod.js'

export interface ClusterProbeOptions {
  /** Where the checks run: a pod like a job pod, an existing job pod (`ephemeral`: in a container added to it), every node. */
  mode: Exclude<ClusterMode, 'cleanup'>
  namespace?: string
  runner?: RunnerSettings
  /** Node image the checks run in (`--image`). */
  image?: string
  dindImage?: string
  dindTls?: boolean
  /** What the job adds to the mirror pod: `--no-dind`, `--var`, `--ci-file`/`--job` (see mirror-pod.ts). */
  job?: JobSettings
  /** job-pod, ephemeral: the job pod, by name or by `job.runner.gitlab.com/id`. */
  pod?: string
  jobId?: string
  agentOptions?: AgentOptions
  startTimeoutMs?: number
  /** How long the checks may run, and the pod's activeDeadlineSeconds. */
  runTimeoutMs?: number
  pollIntervalMs?: number
  parallelism?: number
  /** Checks made before the run (whose permissions were checked, the runner's own RBAC), added to the report. */
  extraChecks?: CheckResult[]
}

export interface ClusterDeps {
  kube: KubeApi
  /** The check program's source (see `buildAgentSource`). */
  agentSource: () => Promise<string>
  /** Progress lines for stderr. */
  progress: (message: string) => void
  signals?: SignalSource
  /** Used on a second Ctrl-C, when waiting for cleanup is not wanted. */
  exit?: (code: number) => void
  now?: () => Date
}

/** One run of the checks in the cluster, as every mode sees it once the permissions are checked. */
export interface ClusterRun {
  /** Calls stop waiting when the run is interrupted. */
  kube: KubeApi
  ledger: PodLedger
  interruption: Interruption
  options: ClusterProbeOptions
  deps: ClusterDeps
  namespace: string
  /** Names this run's pods (`rd-probe-<runId>`) and labels them. */
  runId: string
  agentSource: string
}

/** How long and how often to wait for a container of the run's pods. */
export function waitSettings(run: ClusterRun) {
  return {
    startTimeoutMs: run.options.startTimeoutMs ?? 180_000,
    runTimeoutMs: run.options.runTimeoutMs ?? 300_000,
    pollIntervalMs: run.options.pollIntervalMs ?? 1000,
    progress: run.deps.progress,
    sleep: (ms: number) => run.interruption.sleep(ms),
  }
}
