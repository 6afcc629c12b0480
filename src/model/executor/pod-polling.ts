/*
 * `[runners.kubernetes] poll_interval` and `poll_timeout`: while a job pod starts, the runner checks it every
 * poll_interval seconds and gives up after poll_timeout seconds (defaults 3 and 180).
 */

export const DEFAULT_POLL_TIMEOUT_SECONDS = 180

const seconds = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

/** poll_interval and poll_timeout where they are set to a number. */
export function podPolling(kubernetes: Record<string, unknown>): {interval?: number; timeout?: number} {
  return {interval: seconds(kubernetes.poll_interval), timeout: seconds(kubernetes.poll_timeout)}
}
