import type {CheckResult} from '../types.js'

/** What a dockerd without the privileges it needs writes before it exits (mounts, cgroups, sockets refused). */
const UNPRIVILEGED = /permission denied|operation not permitted|are you root|privileged/i

/** Last lines of a log, for evidence; never the whole thing. */
function lastLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-count)
}

/** The dind service container ended: the daemon is gone; its log tells whether privileges were the reason. */
export function dindExitCheck(container: string, exitCode: number | undefined, log: string): CheckResult {
  const unprivileged = UNPRIVILEGED.test(log)
  return {
    id: 'dind-container',
    status: 'fail',
    summary: `The ${container} service container exited with code ${exitCode ?? 'unknown'}: the Docker daemon is not running.`,
    evidence: lastLines(log, 8),
    cause: unprivileged
      ? 'dind needs a privileged container and the runner does not give it one.'
      : 'The Docker daemon failed to start; its log says why.',
    remediation: unprivileged
      ? 'Set privileged = true for service containers ([runners.kubernetes] privileged or service_container_security_context), ' +
        'or build without dind.'
      : 'Read the dind log above and fix its configuration (TLS, storage driver, MTU).',
    durationMs: 0,
  }
}
