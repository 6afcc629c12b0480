import {isLoopbackHost} from './proxy.js'

export class PlainHttpRefusedError extends Error {
  override name = 'PlainHttpRefusedError'
}

/**
 * Plain http to the API is what `kubectl proxy` serves on loopback, and it is allowed there. Anywhere else it would
 * send credentials unencrypted, so it needs the user's explicit consent in the kubeconfig; the refusal happens
 * before any connection is made, and is never retried.
 */
export function checkServerScheme(
  server: URL,
  cluster: {name: string; insecureSkipTlsVerify: boolean; file?: string},
): {plainHttpLoopback: boolean} {
  if (server.protocol !== 'http:') return {plainHttpLoopback: false}
  if (isLoopbackHost(server.hostname)) return {plainHttpLoopback: true}
  if (cluster.insecureSkipTlsVerify) return {plainHttpLoopback: false}
  throw new PlainHttpRefusedError(
    `cluster "${cluster.name}" is plain http to ${server.host}, which sends your credentials unencrypted; ` +
      `use its https address, or, to accept that, add the line "insecure-skip-tls-verify: true" under ` +
      `the cluster "${cluster.name}" entry of ${cluster.file ?? 'the kubeconfig'} (only http on 127.0.0.1/::1/localhost, ` +
      `as kubectl proxy serves, needs no such line)`,
  )
}
