import {SHORT_STDIN_EXIT, SHORT_STDIN_MESSAGE} from '../agent/stdin-framing.js'
import type {CheckResult} from '../types.js'
import type {ExecResult, KubeError} from './kube-api.js'
import {tail} from './report.js'

type Finding = Omit<CheckResult, 'status' | 'durationMs'>

/** Where the exec request went through `kubectl proxy`, which refuses exec and attach paths unless told not to. */
export const KUBECTL_PROXY_NOTE =
  'The API is reached through a plain-http loopback proxy (kubectl proxy?): kubectl proxy refuses ' +
  'exec by default (--reject-paths); start it with --reject-paths="^/api/.*/pods/.*/attach" to let exec through.'

/** The exec request itself was refused: the reason is in the status code, not in the container. */
export function execRefusedFinding(error: KubeError, container: string, pod: string, viaLoopbackHttp: boolean): Finding {
  const forbidden = error.kind === 'forbidden'
  const evidence = [
    error.message,
    ...(error.httpStatus ? [`HTTP ${error.httpStatus}`] : []),
    ...(viaLoopbackHttp ? [KUBECTL_PROXY_NOTE] : []),
  ]
  if (forbidden) {
    return {
      id: 'probe-exec',
      summary: `Exec into container ${container} of pod ${pod} is forbidden: pods/exec (verbs get and create) is missing.`,
      evidence,
      cause: viaLoopbackHttp
        ? 'kubectl proxy or the identity behind it refuses exec.'
        : 'The identity the probe runs as may not exec into pods in this namespace.',
      remediation: viaLoopbackHttp
        ? 'Restart kubectl proxy with --reject-paths that leave exec out, or use the kubeconfig directly.'
        : 'Grant get and create on pods/exec, or use the default mirror pod.',
    }
  }
  return {
    id: 'probe-exec',
    summary: `Exec into container ${container} of pod ${pod} failed before the command started: ${error.message}`,
    evidence,
    cause:
      error.kind === 'invalid'
        ? 'The container is not running (it finished, restarts, or has not started).'
        : 'The API server or the kubelet refused the exec stream.',
    remediation:
      error.kind === 'invalid'
        ? 'Attach while the job runs, or use the default mirror pod.'
        : 'Read the message above; retry, or use the default mirror pod.',
  }
}

/** The agent ran (or was meant to) but printed no report: say which of the known reasons the output shows. */
export function noReportFinding(result: ExecResult, container: string, nodeVersion: string | undefined, viaLoopbackHttp: boolean): Finding {
  const output = `${result.stdout}\n${result.stderr}`
  const evidence = [
    ...tail(output),
    ...(result.protocol ? [`exec protocol: ${result.protocol}`] : []),
    ...(nodeVersion ? [`node ${nodeVersion}`] : []),
  ]
  const base = `The check program in container ${container}`
  if (result.exitCode === SHORT_STDIN_EXIT || output.includes(SHORT_STDIN_MESSAGE)) {
    return {
      id: 'probe-exec',
      summary: `${base} did not receive all of its code over stdin.`,
      evidence,
      cause: `The exec stream closed stdin early (protocol ${result.protocol ?? 'unknown'}).`,
      remediation: 'Retry; if it repeats, use the default mirror pod, which needs no stdin.',
    }
  }
  if (result.exitCode === null) {
    return {
      id: 'probe-exec',
      summary: `${base} ended without an exit status: the exec stream closed before the command finished.`,
      evidence: [...evidence, ...(viaLoopbackHttp ? [KUBECTL_PROXY_NOTE] : [])],
      cause: 'The connection to the API server or from it to the kubelet dropped, or a proxy in between cut the stream.',
      remediation: 'Retry; if it repeats, check proxies between you and the API server, or use the default mirror pod.',
    }
  }
  if (result.exitCode === 127 || /not found|ENOENT/.test(result.stderr)) {
    return {
      id: 'probe-exec',
      summary: `${base} could not start: the container has no node on its PATH.`,
      evidence,
      remediation: 'Use --ephemeral, or the default mirror pod.',
    }
  }
  const major = Number(/^v?(\d+)\./.exec(nodeVersion ?? '')?.[1])
  if (/SyntaxError/.test(result.stderr) && major < 18) {
    return {
      id: 'probe-exec',
      summary: `${base} cannot run on node ${nodeVersion} (18 or newer is needed).`,
      evidence,
      remediation: 'Use --ephemeral with a newer Node image, or the default mirror pod.',
    }
  }
  return {
    id: 'probe-exec',
    summary: `${base} exited with code ${result.exitCode} without a report.`,
    evidence,
    cause: 'The program failed in that container; its output above says why.',
    remediation: 'Read the output above, or use --ephemeral / the default mirror pod.',
  }
}
