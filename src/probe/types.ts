/**
 * How `runner-doctor probe` runs: here (`local`), in a new pod shaped like a job pod (`mirror-pod`), in a running job pod
 * (`job-pod`), in an ephemeral container added to one (`ephemeral`), in one mirror pod per node (`all-nodes`), or by
 * removing the probe pods earlier runs left (`cleanup`). A report's `mode` is one of them: JSON output keeps these names.
 */
export type ProbeMode = 'local' | 'mirror-pod' | 'job-pod' | 'ephemeral' | 'all-nodes' | 'cleanup'

/** The modes that reach a Kubernetes cluster (src/probe/cluster). */
export type ClusterMode = Exclude<ProbeMode, 'local'>

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip'

/** One diagnosis, the same shape wherever the checks ran (local, mirror pod, job pod). */
export interface CheckResult {
  /** Stable id, kebab-case, e.g. `dns-cluster-name`, `docker-daemon-plain`. */
  id: string
  status: CheckStatus
  /** One sentence a person reads first. */
  summary: string
  /** What was observed: addresses, timings, rcodes, raw error text. Never secrets. */
  evidence: string[]
  /** Likely cause, when the check did not pass. */
  cause?: string
  /** What to do, imperative, ends with a period; set when the check did not pass. */
  remediation?: string
  durationMs: number
  /** Node the check ran on, for `--all-nodes`. */
  node?: string
}

export interface ProbeTimings {
  scheduledMs?: number
  startedMs?: number
  dindReadyMs?: number
  checksMs?: number
  totalMs: number
}

export interface ProbeSummary {
  pass: number
  warn: number
  fail: number
  skip: number
  /** A short verdict shown first, e.g. "DNS is slow: ndots:5 costs 4 extra lookups per external name." */
  verdict: string
  exitCode: 0 | 1 | 2
}

/** A reason behind one or more checks that need attention, with the one fix that addresses it. */
export interface ProbeCause {
  /** Stable id, e.g. `docker-port-tls-mismatch`, `nameserver-dead-10-96-0-10`, or the id of a check standing alone. */
  id: string
  status: 'fail' | 'warn'
  /** Names the mistake, in the user's terms. */
  title: string
  /** What to do, imperative. */
  fix: string
  /** Ids of the checks this cause explains. */
  checks: string[]
}

export interface ProbeReport {
  /** Every mode but `cleanup`, which removes pods and writes no report. */
  mode: Exclude<ProbeMode, 'cleanup'>
  target?: {namespace?: string; pod?: string; nodes?: string[]}
  checks: CheckResult[]
  /** The failing and warning checks grouped under their causes, root causes first. */
  causes?: ProbeCause[]
  timings: ProbeTimings
  summary: ProbeSummary
}
