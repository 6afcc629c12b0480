import dgram from 'node:dgram'
import net from 'node:net'

import * as dnsPacket from 'dns-packet'

import {randomLoopbackAddress, udpPortFree} from './loopback.js'

export type Fault = 'drop' | 'servfail' | 'nxdomain' | 'refused' | 'truncate'

export interface NameBehaviour {
  a?: string[]
  aaaa?: string[]
  /** Applies to every query type unless `aaaaFault` overrides AAAA. */
  fault?: Fault
  aaaaFault?: Fault
  /** Delay before answering, both transports. */
  delayMs?: number
  /** Drop every Nth UDP query for the name (intermittent loss, the conntrack race pattern). */
  dropEveryUdp?: number
  /** TCP behaviour: answer normally (default) or swallow the query. */
  tcp?: 'answer' | 'drop'
}

export interface ReceivedQuery {
  name: string
  type: string
  transport: 'udp' | 'tcp'
}

export interface FaultDnsServer {
  address: string
  received: ReceivedQuery[]
  stop(): Promise<void>
}

/**
 * A DNS server built on dns-packet that misbehaves on purpose, per name: drop, delay, truncate (TC bit over
 * UDP, full answer over TCP), SERVFAIL, NXDOMAIN. Names it does not know get NXDOMAIN.
 */
export async function startFaultDnsServer(behaviours: Record<string, NameBehaviour>): Promise<FaultDnsServer> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const address = randomLoopbackAddress()
    if (!(await udpPortFree(address))) continue
    try {
      return await listen(address, behaviours)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    }
  }
  throw new Error('No free loopback address for the fault DNS server.')
}

function respond(
  query: dnsPacket.DecodedPacket,
  behaviour: NameBehaviour | undefined,
  transport: 'udp' | 'tcp',
): dnsPacket.Packet | undefined {
  const question = query.questions![0]
  const type = question.type
  const fault = type === 'AAAA' && behaviour?.aaaaFault ? behaviour.aaaaFault : behaviour?.fault
  const base = {
    type: 'response' as const,
    id: query.id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: query.questions,
  }
  if (!behaviour || fault === 'nxdomain') return {...base, flags: base.flags | 3}
  if (fault === 'drop') return undefined
  if (fault === 'servfail') return {...base, flags: base.flags | 2}
  if (fault === 'refused') return {...base, flags: base.flags | 5}
  const addresses = type === 'A' ? (behaviour.a ?? []) : type === 'AAAA' ? (behaviour.aaaa ?? []) : []
  if (fault === 'truncate' && transport === 'udp') return {...base, flags: base.flags | dnsPacket.TRUNCATED_RESPONSE}
  return {...base, answers: addresses.map((data) => ({type: type as 'A', name: question.name, ttl: 30, class: 'IN' as const, data}))}
}

function listen(address: string, behaviours: Record<string, NameBehaviour>): Promise<FaultDnsServer> {
  const received: ReceivedQuery[] = []
  const udpCounts = new Map<string, number>()
  const lookup = (name: string): NameBehaviour | undefined => behaviours[name.toLowerCase().replace(/\.$/, '')]
  const pending = new Set<NodeJS.Timeout>()
  const later = (ms: number, fn: () => void): void => {
    if (!ms) return fn()
    const timer = setTimeout(() => {
      pending.delete(timer)
      fn()
    }, ms)
    pending.add(timer)
  }
  const udp = dgram.createSocket('udp4')
  udp.on('message', (message, remote) => {
    let query: dnsPacket.DecodedPacket
    try {
      query = dnsPacket.decode(message)
    } catch {
      return
    }
    const question = query.questions?.[0]
    if (!question) return
    received.push({name: question.name, type: question.type, transport: 'udp'})
    const behaviour = lookup(question.name)
    const countKey = `${question.name}/${question.type}`
    const count = (udpCounts.get(countKey) ?? 0) + 1
    udpCounts.set(countKey, count)
    if (behaviour?.dropEveryUdp && count % behaviour.dropEveryUdp === 0) return
    const answer = respond(query, behaviour, 'udp')
    if (answer) later(behaviour?.delayMs ?? 0, () => udp.send(dnsPacket.encode(answer), remote.port, remote.address))
  })
  const sockets = new Set<net.Socket>()
  const tcp = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0)
        const message = buffer.subarray(2, 2 + length)
        buffer = buffer.subarray(2 + length)
        const query = dnsPacket.decode(Buffer.from(message))
        const question = query.questions?.[0]
        if (!question) continue
        received.push({name: question.name, type: question.type, transport: 'tcp'})
        const behaviour = lookup(question.name)
        if (behaviour?.tcp === 'drop') continue
        const answer = respond(query, behaviour, 'tcp')
        if (answer) later(behaviour?.delayMs ?? 0, () => socket.writable && socket.write(dnsPacket.streamEncode(answer)))
      }
    })
  })
  return new Promise((resolve, reject) => {
    udp.once('error', reject)
    udp.bind(53, address, () => {
      tcp.once('error', (error) => {
        udp.close()
        reject(error)
      })
      tcp.listen(53, address, () =>
        resolve({
          address,
          received,
          stop: () =>
            new Promise<void>((done) => {
              for (const timer of pending) clearTimeout(timer)
              for (const socket of sockets) socket.destroy()
              udp.close(() => tcp.close(() => done()))
            }),
        }),
      )
    })
  })
}
