import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import tls from 'node:tls'

import {errorCode, errorText} from './util.js'

export interface ConnectOutcome {
  ok: boolean
  ms: number
  error?: string
}

export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const socket = net.connect({host, port})
    const finish = (outcome: Omit<ConnectOutcome, 'ms'>): void => {
      socket.destroy()
      resolve({...outcome, ms: performance.now() - startedAt})
    }
    socket.setTimeout(timeoutMs, () => finish({ok: false, error: 'timeout'}))
    socket.once('connect', () => finish({ok: true}))
    socket.once('error', (error) => finish({ok: false, error: errorCode(error)}))
  })
}

export interface TlsMaterial {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  rejectUnauthorized: boolean
  servername?: string
}

export interface HttpOutcome {
  status?: number
  headers?: http.IncomingHttpHeaders
  body?: string
  error?: string
  errorMessage?: string
  ms: number
}

export interface HttpTarget {
  host?: string
  port?: number
  socketPath?: string
  path: string
  hostHeader?: string
  tls?: TlsMaterial
  timeoutMs: number
  /** GET unless set (the Docker API's create/start/wait are POST, removal DELETE). */
  method?: string
  /** A JSON body. */
  body?: string
}

/** One GET without keep-alive; never throws. Bodies are capped, the Docker API answers are small. */
export function httpGet(target: HttpTarget): Promise<HttpOutcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    let settled = false
    const finish = (outcome: Omit<HttpOutcome, 'ms'>): void => {
      if (settled) return
      settled = true
      request.destroy()
      resolve({...outcome, ms: performance.now() - startedAt})
    }
    const common = {
      host: target.host,
      port: target.port,
      socketPath: target.socketPath,
      path: target.path,
      method: target.method ?? 'GET',
      agent: false as const,
      headers: {
        Host: target.hostHeader ?? target.host ?? 'localhost',
        'User-Agent': 'runner-doctor-probe',
        ...(target.body !== undefined ? {'Content-Type': 'application/json'} : {}),
      },
    }
    const request = target.tls
      ? https.request({
          ...common,
          ca: target.tls.ca,
          cert: target.tls.cert,
          key: target.tls.key,
          rejectUnauthorized: target.tls.rejectUnauthorized,
          servername: target.tls.servername,
        })
      : http.request(common)
    request.setTimeout(target.timeoutMs, () => finish({error: 'timeout', errorMessage: `no answer within ${target.timeoutMs} ms`}))
    request.on('error', (error) => finish({error: errorCode(error), errorMessage: errorText(error)}))
    request.on('response', (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        if (body.length < 65536) body += chunk
      })
      response.on('end', () => finish({status: response.statusCode, headers: response.headers, body}))
      response.on('error', (error) => finish({error: errorCode(error), errorMessage: errorText(error)}))
    })
    request.end(target.body)
  })
}

export interface TlsHandshakeOutcome {
  ok: boolean
  ms: number
  protocol?: string
  authorized?: boolean
  authorizationError?: string
  peerSubject?: string
  peerIssuer?: string
  validTo?: string
  error?: string
  errorMessage?: string
}

export function tlsHandshake(host: string, port: number, options: TlsMaterial, timeoutMs: number): Promise<TlsHandshakeOutcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      servername: options.servername,
      rejectUnauthorized: false,
    })
    const finish = (outcome: Omit<TlsHandshakeOutcome, 'ms'>): void => {
      socket.destroy()
      resolve({...outcome, ms: performance.now() - startedAt})
    }
    socket.setTimeout(timeoutMs, () => finish({ok: false, error: 'timeout', errorMessage: `no handshake within ${timeoutMs} ms`}))
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate()
      let authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined
      if (!authorizationError && options.servername) {
        const identityError = tls.checkServerIdentity(options.servername, peer)
        if (identityError) authorizationError = (identityError as {code?: string}).code ?? identityError.message
      }
      finish({
        ok: true,
        protocol: socket.getProtocol() ?? undefined,
        authorized: !authorizationError,
        authorizationError,
        peerSubject: firstValue(peer?.subject?.CN),
        peerIssuer: firstValue(peer?.issuer?.CN ?? peer?.issuer?.O),
        validTo: peer?.valid_to,
      })
    })
    socket.once('error', (error) => finish({ok: false, error: errorCode(error), errorMessage: errorText(error)}))
  })
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
