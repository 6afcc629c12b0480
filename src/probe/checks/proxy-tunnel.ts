import {request as httpRequest} from 'node:http'
import type {Socket} from 'node:net'
import * as tls from 'node:tls'

import {apiProxyFor} from '../../kube/proxy.js'
import type {TlsHandshakeOutcome, TlsMaterial} from './net-client.js'

/*
 * Jobs behind an egress proxy reach GitLab and registries with CONNECT through HTTPS_PROXY (or HTTP_PROXY), unless
 * NO_PROXY names the host. The outbound checks take the same path, so a pod that may only leave through the proxy
 * is not reported as cut off, and a proxy that refuses the tunnel is named.
 */

/** The proxy a job would use for this target, by the same rules kubectl and Go's net/http apply. */
export function egressProxy(env: Record<string, string | undefined>, host: string, port: number, tlsTarget: boolean): URL | undefined {
  const target = new URL(`${tlsTarget ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`)
  const proxy = apiProxyFor(target, undefined, env as NodeJS.ProcessEnv)
  try {
    return proxy ? new URL(proxy) : undefined
  } catch {
    return undefined
  }
}

export type TunnelOutcome = {ok: true; socket: Socket; ms: number} | {ok: false; ms: number; error: string; status?: number}

/** Opens a CONNECT tunnel to host:port through the proxy. */
export function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<TunnelOutcome> {
  const startedAt = performance.now()
  const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
  return new Promise((resolve) => {
    const headers: Record<string, string> = {Host: target}
    if (proxy.username)
      headers['Proxy-Authorization'] =
        `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`
    const request = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
    })
    const timer = setTimeout(() => {
      request.destroy()
      resolve({ok: false, ms: performance.now() - startedAt, error: 'timeout'})
    }, timeoutMs)
    request.once('connect', (response, socket) => {
      clearTimeout(timer)
      if (response.statusCode === 200) return resolve({ok: true, socket, ms: performance.now() - startedAt})
      socket.destroy()
      resolve({ok: false, ms: performance.now() - startedAt, error: `HTTP ${response.statusCode}`, status: response.statusCode})
    })
    request.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ok: false, ms: performance.now() - startedAt, error: error.code ?? error.message})
    })
    request.end()
  })
}

/** The TLS handshake with the target, end to end inside the tunnel. */
export function tlsThroughTunnel(
  socket: Socket,
  options: TlsMaterial & {servername?: string},
  timeoutMs: number,
): Promise<TlsHandshakeOutcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const secure = tls.connect({socket, ca: options.ca, servername: options.servername, rejectUnauthorized: false})
    const finish = (outcome: Omit<TlsHandshakeOutcome, 'ms'>): void => {
      secure.destroy()
      resolve({...outcome, ms: performance.now() - startedAt})
    }
    secure.setTimeout(timeoutMs, () => finish({ok: false, error: 'timeout', errorMessage: `no handshake within ${timeoutMs} ms`}))
    secure.once('secureConnect', () => {
      const peer = secure.getPeerCertificate()
      const identity = options.servername ? tls.checkServerIdentity(options.servername, peer) : undefined
      const authorizationError = secure.authorizationError
        ? String(secure.authorizationError)
        : identity
          ? ((identity as {code?: string}).code ?? identity.message)
          : undefined
      const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)
      finish({
        ok: true,
        protocol: secure.getProtocol() ?? undefined,
        authorized: !authorizationError,
        authorizationError,
        peerSubject: first(peer?.subject?.CN),
        peerIssuer: first(peer?.issuer?.CN ?? peer?.issuer?.O),
        validTo: peer?.valid_to,
      })
    })
    secure.once('error', (error: NodeJS.ErrnoException) => finish({ok: false, error: error.code ?? 'error', errorMessage: error.message}))
  })
}
