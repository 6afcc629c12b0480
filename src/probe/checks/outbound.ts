import {readFileSync} from 'node:fs'
import {rootCertificates} from 'node:tls'

import type {CheckResult} from '../types.js'
import type {ProbeContext} from './context.js'
import {tcpConnect, tlsHandshake} from './net-client.js'
import {egressProxy, openTunnel, tlsThroughTunnel} from './proxy-tunnel.js'
import {resolveHost} from './resolve-host.js'
import {type Observation, finishCheck, formatMs, idFragment, simpleCheck} from './util.js'

export interface OutboundTarget {
  id: string
  label: string
  host: string
  port: number
  tls: boolean
}

function parseTarget(raw: string, id: string, label: string): OutboundTarget | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`)
    const tls = url.protocol !== 'http:'
    return {id, label, host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : tls ? 443 : 80, tls}
  } catch {
    return undefined
  }
}

export function outboundTargets(ctx: ProbeContext): OutboundTarget[] {
  const targets: OutboundTarget[] = []
  const gitlab = ctx.options.gitlabUrl ? parseTarget(ctx.options.gitlabUrl, 'outbound-gitlab', 'GitLab') : undefined
  if (gitlab) targets.push(gitlab)
  for (const registry of ctx.options.registries) {
    const target = parseTarget(registry, '', 'registry')
    if (target) targets.push({...target, id: `outbound-registry-${idFragment(`${target.host}-${target.port}`)}`})
  }
  return targets
}

// GitLab and each registry are checked with the same trust store: it is built once per run.
const trustedCas = new WeakMap<ProbeContext, Buffer | undefined>()

/** Node's roots plus the runner's tls-ca-file, when one is given; undefined means Node's defaults. */
export function trustedCa(ctx: ProbeContext): Buffer | undefined {
  if (!trustedCas.has(ctx)) {
    const extraCa = ctx.options.tlsCaFile ? readFileSync(ctx.options.tlsCaFile) : undefined
    trustedCas.set(ctx, extraCa ? Buffer.from([...rootCertificates, extraCa.toString('utf8')].join('\n')) : undefined)
  }
  return trustedCas.get(ctx)
}

export async function checkOutbound(ctx: ProbeContext, target: OutboundTarget): Promise<CheckResult> {
  const startedAt = performance.now()
  const endpoint = `${target.host}:${target.port}`
  const evidence: string[] = []
  const proxy = egressProxy(ctx.env, target.host, target.port, target.tls)
  if (proxy) return checkThroughProxy(ctx, target, proxy, startedAt)
  const resolved = await resolveHost(ctx, target.host)
  if (!resolved.address) {
    return simpleCheck(
      target.id,
      'fail',
      `The ${target.label} host ${target.host} does not resolve (${resolved.error}).`,
      evidence,
      startedAt,
      {
        cause: 'DNS cannot resolve the name from here (see the dns-* checks).',
        remediation: `Make ${target.host} resolvable from job pods.`,
      },
    )
  }
  evidence.push(`${target.host} -> ${resolved.address} via ${resolved.via}`)
  const connect = await tcpConnect(resolved.address, target.port, ctx.options.timeoutMs)
  if (!connect.ok) {
    return simpleCheck(
      target.id,
      'fail',
      `TCP connection to ${target.label} at ${endpoint} fails (${connect.error}).`,
      [...evidence, `TCP connect: ${connect.error} after ${formatMs(connect.ms)}`],
      startedAt,
      {
        cause:
          connect.error === 'timeout'
            ? 'Egress is dropped: a NetworkPolicy, a firewall, or a proxy is required.'
            : 'Nothing accepts connections at that address and port.',
        remediation:
          connect.error === 'timeout'
            ? `Allow egress from job pods to ${endpoint}, or configure HTTPS_PROXY for jobs.`
            : `Check the ${target.label} URL and port.`,
      },
    )
  }
  evidence.push(`TCP connect in ${formatMs(connect.ms)}`)
  if (!target.tls) {
    return simpleCheck(
      target.id,
      'pass',
      `${target.label} at ${endpoint} accepts TCP in ${formatMs(connect.ms)} (plain HTTP, no TLS).`,
      evidence,
      startedAt,
    )
  }
  const handshake = await tlsHandshake(
    resolved.address,
    target.port,
    {ca: trustedCa(ctx), rejectUnauthorized: true, servername: resolved.via === 'literal' ? undefined : target.host},
    ctx.options.timeoutMs,
  )
  const findings: Observation[] = []
  if (!handshake.ok) {
    evidence.push(`TLS handshake: ${handshake.errorMessage ?? handshake.error} after ${formatMs(handshake.ms)}`)
    const hang = handshake.error === 'timeout'
    findings.push({
      status: 'fail',
      summary: `The TLS handshake with ${target.label} at ${endpoint} ${hang ? 'hangs' : `fails (${handshake.error})`}.`,
      cause: hang
        ? 'Large handshake packets are lost: an MTU mismatch on the path, or a middlebox that stalls TLS.'
        : 'The server does not speak TLS on this port, or a proxy interferes.',
      remediation: hang
        ? 'Compare the pod MTU with the path MTU and lower it (or dind --mtu) when they differ.'
        : `Check that ${endpoint} serves HTTPS.`,
    })
  } else {
    evidence.push(
      `TLS ${handshake.protocol} handshake in ${formatMs(handshake.ms)}, certificate CN=${handshake.peerSubject ?? '?'} ` +
        `issued by ${handshake.peerIssuer ?? '?'}, valid to ${handshake.validTo ?? '?'}`,
    )
    if (!handshake.authorized) {
      findings.push({
        status: 'fail',
        summary: `${target.label} at ${endpoint} presents a certificate this container does not trust (${handshake.authorizationError}).`,
        cause: 'A private or self-signed CA, a TLS-intercepting proxy, or a certificate for another name.',
        remediation: 'Give the runner the CA with tls-ca-file in config.toml and add it to job images, or fix the server certificate.',
      })
    }
  }
  return finishCheck(
    {
      id: target.id,
      evidence,
      findings,
      passSummary: `${target.label} at ${endpoint}: TCP in ${formatMs(connect.ms)}, TLS handshake in ${formatMs(handshake.ms)}.`,
    },
    startedAt,
  )
}

/** The path a job behind HTTPS_PROXY takes: CONNECT through the proxy, then TLS with the target inside the tunnel. */
async function checkThroughProxy(ctx: ProbeContext, target: OutboundTarget, proxy: URL, startedAt: number): Promise<CheckResult> {
  const endpoint = `${target.host}:${target.port}`
  const via = `proxy ${proxy.host}`
  const evidence = [`through ${via} (${target.tls ? 'HTTPS_PROXY' : 'HTTP_PROXY'}; NO_PROXY does not name ${target.host})`]
  const tunnel = await openTunnel(proxy, target.host, target.port, ctx.options.timeoutMs)
  if (!tunnel.ok) {
    evidence.push(`CONNECT ${endpoint}: ${tunnel.error} after ${formatMs(tunnel.ms)}`)
    return simpleCheck(
      target.id,
      'fail',
      `The ${via} does not open a tunnel to ${target.label} at ${endpoint} (${tunnel.error}).`,
      evidence,
      startedAt,
      {
        cause:
          tunnel.status === 407
            ? 'The proxy wants credentials the job environment does not give.'
            : tunnel.status
              ? 'The proxy refuses this destination (an allow list, or the name does not resolve there).'
              : 'The proxy itself cannot be reached from the pod.',
        remediation: tunnel.status
          ? `Allow ${endpoint} on the proxy, or add ${target.host} to NO_PROXY if it is reachable directly.`
          : `Check HTTPS_PROXY (${proxy.host}) in the runner environment and egress to it.`,
      },
    )
  }
  evidence.push(`CONNECT ${endpoint} in ${formatMs(tunnel.ms)}`)
  if (!target.tls) {
    tunnel.socket.destroy()
    return simpleCheck(
      target.id,
      'pass',
      `${target.label} at ${endpoint} is reachable through the ${via} in ${formatMs(tunnel.ms)} (plain HTTP, no TLS).`,
      evidence,
      startedAt,
    )
  }
  const servername = /^[\d.]+$|:/.test(target.host) ? undefined : target.host
  const handshake = await tlsThroughTunnel(tunnel.socket, {ca: trustedCa(ctx), rejectUnauthorized: true, servername}, ctx.options.timeoutMs)
  const findings: Observation[] = []
  if (!handshake.ok) {
    evidence.push(`TLS handshake through the tunnel: ${handshake.errorMessage ?? handshake.error} after ${formatMs(handshake.ms)}`)
    findings.push({
      status: 'fail',
      summary: `The TLS handshake with ${target.label} at ${endpoint} through the ${via} fails (${handshake.error}).`,
      cause: 'The proxy or the server ends the session: a TLS-inspecting proxy, or a server that does not speak TLS there.',
      remediation: `Check that ${endpoint} serves HTTPS, and what the proxy does with it.`,
    })
  } else {
    evidence.push(
      `TLS ${handshake.protocol} handshake in ${formatMs(handshake.ms)}, certificate CN=${handshake.peerSubject ?? '?'} ` +
        `issued by ${handshake.peerIssuer ?? '?'}`,
    )
    if (!handshake.authorized) {
      findings.push({
        status: 'fail',
        summary:
          `${target.label} at ${endpoint}, through the ${via}, presents a certificate this container ` +
          `does not trust (${handshake.authorizationError}).`,
        cause: 'A TLS-inspecting proxy re-signs the traffic with its own CA, or the server uses a private CA.',
        remediation: 'Give the runner that CA with tls-ca-file (and --tls-ca-file here), and add it to job images.',
      })
    }
  }
  return finishCheck(
    {
      id: target.id,
      evidence,
      findings,
      passSummary:
        `${target.label} at ${endpoint} through the ${via}: CONNECT in ${formatMs(tunnel.ms)}, TLS ` +
        `handshake in ${formatMs(handshake.ms)}.`,
    },
    startedAt,
  )
}
