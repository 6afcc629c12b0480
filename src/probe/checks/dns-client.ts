import dgram from 'node:dgram'
import net from 'node:net'

import * as dnsPacket from 'dns-packet'

import {errorCode} from './util.js'

export type QueryType = 'A' | 'AAAA'
export type Transport = 'udp' | 'tcp'

export interface DnsQuery {
  server: string
  port?: number
  name: string
  type: QueryType
  transport: Transport
  timeoutMs: number
}

export interface DnsAnswer {
  /** `NOERROR`, `NXDOMAIN`, `SERVFAIL`, ... when an answer came back. */
  rcode?: string
  addresses: string[]
  truncated: boolean
  rttMs: number
  bytes?: number
  /** `timeout`, or the socket error code (ECONNREFUSED, ...) when no answer came back. */
  error?: string
}

let nextId = Math.floor(Math.random() * 0xffff)

function buildQuery(name: string, type: QueryType): {id: number; packet: dnsPacket.Packet} {
  nextId = (nextId + 1) & 0xffff
  // No EDNS on purpose: classic resolvers (glibc without edns0, musl) accept only 512 bytes over UDP.
  return {id: nextId, packet: {type: 'query', id: nextId, flags: dnsPacket.RECURSION_DESIRED, questions: [{type, class: 'IN', name}]}}
}

function toAnswer(buffer: Buffer, type: QueryType, rttMs: number): DnsAnswer {
  const decoded = dnsPacket.decode(buffer)
  const addresses = (decoded.answers ?? []).filter((a) => a.type === type).map((a) => String((a as {data?: unknown}).data))
  // dns-packet decodes rcode as a name, but its type definitions omit the field.
  const rcode = (decoded as {rcode?: string}).rcode ?? 'NOERROR'
  return {rcode, addresses, truncated: Boolean(decoded.flag_tc), rttMs, bytes: buffer.length}
}

function queryUdp(q: DnsQuery): Promise<DnsAnswer> {
  const {id, packet} = buildQuery(q.name, q.type)
  const socket = dgram.createSocket(net.isIPv6(q.server) ? 'udp6' : 'udp4')
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const finish = (answer: DnsAnswer): void => {
      clearTimeout(timer)
      socket.close()
      resolve(answer)
    }
    const timer = setTimeout(
      () => finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: 'timeout'}),
      q.timeoutMs,
    )
    socket.on('error', (error) => finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: errorCode(error)}))
    socket.on('message', (message) => {
      if (message.length < 2 || message.readUInt16BE(0) !== id) return
      try {
        finish(toAnswer(message, q.type, performance.now() - startedAt))
      } catch (error) {
        finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: `malformed answer: ${errorCode(error)}`})
      }
    })
    // A connected socket turns an ICMP port-unreachable into ECONNREFUSED instead of a silent timeout.
    socket.connect(q.port ?? 53, q.server, () => socket.send(dnsPacket.encode(packet)))
  })
}

function queryTcp(q: DnsQuery): Promise<DnsAnswer> {
  const {id, packet} = buildQuery(q.name, q.type)
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const socket = net.connect({host: q.server, port: q.port ?? 53})
    let received = Buffer.alloc(0)
    const finish = (answer: DnsAnswer): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answer)
    }
    const timer = setTimeout(
      () => finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: 'timeout'}),
      q.timeoutMs,
    )
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(packet)))
    socket.on('error', (error) => finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: errorCode(error)}))
    socket.on('end', () =>
      finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: 'connection closed without an answer'}),
    )
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        const message = received.subarray(2, 2 + received.readUInt16BE(0))
        received = received.subarray(2 + message.length)
        if (message.length >= 2 && message.readUInt16BE(0) === id) {
          try {
            finish(toAnswer(Buffer.from(message), q.type, performance.now() - startedAt))
          } catch (error) {
            finish({addresses: [], truncated: false, rttMs: performance.now() - startedAt, error: `malformed answer: ${errorCode(error)}`})
          }
          return
        }
      }
    })
  })
}

/** Sends one raw query; never throws, every failure is described in the answer. */
export function queryDns(q: DnsQuery): Promise<DnsAnswer> {
  return q.transport === 'udp' ? queryUdp(q) : queryTcp(q)
}
