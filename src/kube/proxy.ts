import {isIP} from 'node:net'

/*
 * Which proxy carries the API traffic, as kubectl (Go's net/http) decides: the kubeconfig's proxy-url wins; else
 * HTTPS_PROXY for https servers and HTTP_PROXY for http ones, unless NO_PROXY matches; loopback is never proxied
 * from the environment.
 */

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare)
  return false
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

/** One NO_PROXY entry against a host and port: `*`, a domain (`.example.com` or `example.com`), an IP, a CIDR, with an optional port. */
function matchesNoProxy(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true
  const cidr = /^([\d.]+)\/(\d+)$/.exec(entry)
  if (cidr) {
    if (isIP(host) !== 4 || isIP(cidr[1]!) !== 4) return false
    const bits = Number(cidr[2])
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    return (ipv4ToNumber(host) & mask) >>> 0 === (ipv4ToNumber(cidr[1]!) & mask) >>> 0
  }
  const withPort = /^(.*):(\d+)$/.exec(entry)
  const entryHost = (withPort && !entry.includes(']') && isIP(entry) !== 6 ? withPort[1]! : entry).replace(/^\[|\]$/g, '').toLowerCase()
  if (withPort && isIP(entry) !== 6 && withPort[2] !== port) return false
  if (entryHost.startsWith('.')) return host.endsWith(entryHost) || host === entryHost.slice(1)
  if (entryHost.startsWith('*.')) return host.endsWith(entryHost.slice(1))
  return host === entryHost || host.endsWith(`.${entryHost}`)
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined
}

/** The proxy URL for API calls to `server`, or undefined to connect directly. */
export function apiProxyFor(server: URL, kubeconfigProxyUrl: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (kubeconfigProxyUrl) return kubeconfigProxyUrl
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isLoopbackHost(host)) return undefined
  const proxy = server.protocol === 'https:' ? envValue(env, 'HTTPS_PROXY') : envValue(env, 'HTTP_PROXY')
  if (!proxy) return undefined
  const port = server.port || (server.protocol === 'https:' ? '443' : '80')
  const noProxy = (envValue(env, 'NO_PROXY') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)
  if (noProxy.some((entry) => matchesNoProxy(entry, host, port))) return undefined
  // Go accepts a bare host:port and takes it for http://host:port.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`
}
