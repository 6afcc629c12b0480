import {lookup} from 'node:dns/promises'

import type {ProbeContext} from './context.js'
import {queryDns} from './dns-client.js'
import {searchExpansion} from './dns.js'
import {lookupInHosts} from './hosts-file.js'
import {errorCode, isIpLiteral} from './util.js'

export interface ResolvedHost {
  address?: string
  /** How the address was found: `literal`, `hosts file`, `getaddrinfo`, `dns`, `loopback name`. */
  via?: string
  error?: string
}

/**
 * Resolves a host name the way the docker CLI or git would: hosts file first, then DNS. With the system
 * files in use that is getaddrinfo itself; with files under test it is emulated against their nameservers,
 * so the probe never asks a resolver outside the files it was given.
 */
export async function resolveHost(ctx: ProbeContext, host: string): Promise<ResolvedHost> {
  const name = host.replace(/^\[|\]$/g, '')
  if (isIpLiteral(name)) return {address: name, via: 'literal'}
  const fromHosts = lookupInHosts(ctx.hosts, name)
  if (fromHosts) return {address: fromHosts, via: 'hosts file'}
  if (ctx.systemResolverMatches) {
    try {
      const result = await lookup(name, {family: 4}).catch(() => lookup(name))
      return {address: result.address, via: 'getaddrinfo'}
    } catch (error) {
      return {error: errorCode(error)}
    }
  }
  if (name === 'localhost') return {address: '127.0.0.1', via: 'loopback name'}
  const resolv = ctx.resolv
  if (!resolv || resolv.nameservers.length === 0) return {error: 'ENOTFOUND (no hosts entry and no nameserver)'}
  for (const candidate of searchExpansion(name, resolv)) {
    for (const server of resolv.nameservers.slice(0, 3)) {
      const answer = await queryDns({server, name: `${candidate}.`, type: 'A', transport: 'udp', timeoutMs: ctx.options.timeoutMs})
      if (answer.addresses.length > 0) return {address: answer.addresses[0], via: `dns (${candidate})`}
      if (answer.rcode) break
    }
  }
  return {error: 'ENOTFOUND'}
}
