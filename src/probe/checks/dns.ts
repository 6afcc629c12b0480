import {lookup} from 'node:dns/promises'

import type {CheckResult} from '../types.js'
import type {ProbeContext} from './context.js'
import {type DnsAnswer, queryDns, type QueryType, type Transport} from './dns-client.js'
import type {ResolvConf} from './resolv-conf.js'
import {errorCode, type Observation, finishCheck, formatMs, idFragment, isIpLiteral, median, simpleCheck} from './util.js'

export type DnsNameRole = 'cluster' | 'gitlab' | 'registry' | 'target'

export interface DnsName {
  id: string
  name: string
  role: DnsNameRole
  /** External names pay the search-list expansion when they have fewer dots than ndots. */
  external: boolean
}

export function hostOfUrl(url: string): string | undefined {
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`
    return new URL(withScheme).hostname.replace(/^\[|\]$/g, '') || undefined
  } catch {
    return undefined
  }
}

export function isInCluster(ctx: ProbeContext): boolean {
  if (ctx.options.clusterDns !== 'auto') return ctx.options.clusterDns
  const clusterSuffix = `svc.${ctx.options.clusterDomain}`
  return (
    Boolean(ctx.env.KUBERNETES_SERVICE_HOST) ||
    (ctx.resolv?.search ?? []).some((s) => s === clusterSuffix || s.endsWith(`.${clusterSuffix}`))
  )
}

function isClusterInternal(name: string, clusterDomain: string): boolean {
  return !name.includes('.') || name.endsWith('.svc') || name.endsWith(`.${clusterDomain}`) || name.includes('.svc.')
}

/** The names worth resolving: the cluster API name, GitLab, registries and the user's targets, without duplicates or literals. */
export function dnsNamesToCheck(ctx: ProbeContext): DnsName[] {
  const names: DnsName[] = []
  const seen = new Set<string>()
  const add = (raw: string | undefined, role: DnsNameRole, id: string): void => {
    const name = raw?.toLowerCase().replace(/\.$/, '')
    if (!name || seen.has(name) || isIpLiteral(name) || name === 'localhost') return
    seen.add(name)
    names.push({id, name, role, external: role !== 'cluster' && !isClusterInternal(name, ctx.options.clusterDomain)})
  }
  add(`kubernetes.default.svc.${ctx.options.clusterDomain}`, 'cluster', 'dns-cluster-name')
  const gitlabHost = ctx.options.gitlabUrl ? hostOfUrl(ctx.options.gitlabUrl) : undefined
  add(gitlabHost, 'gitlab', 'dns-gitlab-host')
  for (const registry of ctx.options.registries) {
    const host = hostOfUrl(registry)
    if (host) add(host, 'registry', `dns-registry-${idFragment(host)}`)
  }
  for (const target of ctx.options.targets) add(target, 'target', `dns-target-${idFragment(target)}`)
  return names
}

interface Series {
  server: string
  transport: Transport
  type: QueryType
  answers: DnsAnswer[]
}

async function runSeries(ctx: ProbeContext, server: string, name: string, transport: Transport, type: QueryType): Promise<Series> {
  const answers: DnsAnswer[] = []
  // Sequential on purpose: each try is what one lookup would see, so loss and stalls show up per try.
  for (let i = 0; i < ctx.options.dnsTries; i++) {
    answers.push(await queryDns({server, name: `${name}.`, type, transport, timeoutMs: ctx.options.timeoutMs}))
  }
  return {server, transport, type, answers}
}

const answered = (s: Series): DnsAnswer[] => s.answers.filter((a) => a.rcode !== undefined)
const timeouts = (s: Series): number => s.answers.filter((a) => a.error === 'timeout').length
const usable = (s: Series): boolean => s.answers.some((a) => a.rcode === 'NOERROR' && !a.truncated && a.addresses.length > 0)

function describeSeries(s: Series): string {
  const got = answered(s)
  const rcodes = [...new Set(got.map((a) => a.rcode))].join('/') || 'no answer'
  const addresses = [...new Set(got.flatMap((a) => a.addresses))]
  const errors = [...new Set(s.answers.filter((a) => a.error).map((a) => a.error))]
  const rtts = got.map((a) => a.rttMs)
  const parts = [`${s.server} ${s.transport} ${s.type}: ${rcodes}`]
  if (addresses.length > 0) parts.push(addresses.slice(0, 4).join(' ') + (addresses.length > 4 ? ` (+${addresses.length - 4})` : ''))
  if (rtts.length > 0) parts.push(`median ${formatMs(median(rtts))}, worst ${formatMs(Math.max(...rtts))}`)
  parts.push(`${got.length}/${s.answers.length} answered`)
  if (got.some((a) => a.truncated)) parts.push(`TC bit set (${Math.max(...got.map((a) => a.bytes ?? 0))} bytes)`)
  if (errors.length > 0) parts.push(`errors: ${errors.join(', ')}`)
  return parts.join(', ')
}

function stallNote(resolv: ResolvConf | undefined): string {
  const seconds = resolv?.timeoutSeconds ?? 5
  return `a resolver waits ${seconds} s per lost query before it retries (the ${seconds === 5 ? '5 s stall' : `${seconds} s stall`})`
}

const STALL_REMEDIATION =
  'Run NodeLocal DNSCache in the cluster, or for glibc images add [[runners.kubernetes.dns_config.options]] ' +
  'name = "single-request-reopen" to the runner config.'

function evaluateName(ctx: ProbeContext, target: DnsName, all: Series[]): Observation[] {
  const findings: Observation[] = []
  const name = target.name
  const servers = [...new Set(all.map((s) => s.server))]
  const resolved = all.some(usable)
  const anyAnswer = all.some((s) => answered(s).length > 0)
  if (!anyAnswer) {
    const errors = [...new Set(all.flatMap((s) => s.answers.map((a) => a.error)))]
    const onlyTimeouts = errors.every((e) => e === 'timeout')
    findings.push({
      status: 'fail',
      summary: onlyTimeouts
        ? `No nameserver answered for ${name} within ${ctx.options.timeoutMs} ms; ${stallNote(ctx.resolv)}, then the lookup fails.`
        : `No nameserver answered for ${name}: ${errors.join(', ')}.`,
      cause: onlyTimeouts
        ? `Queries to ${servers.join(', ')} are dropped: the DNS service is down, a NetworkPolicy blocks ` +
          `port 53, or the nameserver address is wrong.`
        : `Nothing listens on port 53 at ${servers.join(', ')}.`,
      remediation: 'Check that the cluster DNS pods run and that port 53 (UDP and TCP) to the nameserver is allowed from job pods.',
    })
    return findings
  }
  if (!resolved) {
    const rcodes = new Set(all.flatMap((s) => answered(s).map((a) => a.rcode)))
    const truncatedOnly = all.some((s) => s.transport === 'udp' && answered(s).some((a) => a.truncated))
    if (rcodes.has('NXDOMAIN')) {
      findings.push({
        status: 'fail',
        summary: `${name} does not exist (NXDOMAIN).`,
        cause:
          target.role === 'cluster'
            ? `The cluster domain is not ${ctx.options.clusterDomain}, or cluster DNS does not serve it.`
            : 'The name is wrong, or the cluster DNS forwards it to an upstream that does not know it (split-horizon ' +
              'DNS, missing stub domain).',
        remediation:
          target.role === 'cluster'
            ? 'Pass the right --cluster-domain, or repair the cluster DNS configuration.'
            : 'Check the name, and configure a stub domain or forwarder for it in the cluster DNS.',
      })
    } else if (rcodes.has('SERVFAIL')) {
      findings.push({
        status: 'fail',
        summary: `The nameserver answers SERVFAIL for ${name}.`,
        cause: 'The cluster DNS cannot reach its upstream forwarder, or the upstream fails (DNSSEC or network problems).',
        remediation: 'Check the cluster DNS logs and its forward/upstream configuration.',
      })
    } else if (truncatedOnly) {
      findings.push({
        status: 'fail',
        summary: `The answer for ${name} is truncated over UDP and the TCP fallback does not work.`,
        cause: 'The answer is larger than 512 bytes and port 53/TCP is blocked or unanswered.',
        remediation: 'Allow port 53/TCP from job pods to the nameserver.',
      })
    } else {
      findings.push({
        status: 'fail',
        summary: `${name} has no A or AAAA records (${[...rcodes].join('/')}).`,
        cause: 'The name exists but points nowhere usable.',
        remediation: 'Add an address record for the name, or use another name.',
      })
    }
    return findings
  }
  for (const server of servers) {
    const mine = all.filter((s) => s.server === server)
    const get = (transport: Transport, type: QueryType): Series | undefined =>
      mine.find((s) => s.transport === transport && s.type === type)
    if (mine.every((s) => answered(s).length === 0)) {
      findings.push({
        status: 'warn',
        summary: `Nameserver ${server} does not answer; every lookup that tries it first waits ${ctx.resolv?.timeoutSeconds ?? 5} s.`,
        cause: 'A dead or unreachable nameserver in resolv.conf.',
        remediation: 'Remove the dead nameserver from dns_config, or repair it.',
      })
      continue
    }
    const udpA = get('udp', 'A')
    const tcpA = get('tcp', 'A')
    for (const s of mine) {
      const lost = timeouts(s)
      if (lost > 0 && lost < s.answers.length) {
        findings.push({
          status: 'warn',
          summary:
            `${server} lost ${lost} of ${s.answers.length} ${s.type} queries over ${s.transport.toUpperCase()} ` +
            `for ${name}; ${stallNote(ctx.resolv)}.`,
          cause:
            'Packet loss towards the DNS service, typically the conntrack race on parallel A and AAAA ' +
            'queries (kubernetes#56903) or an overloaded DNS pod.',
          remediation: STALL_REMEDIATION,
        })
      }
    }
    if (udpA && answered(udpA).some((a) => a.truncated)) {
      if (tcpA && usable(tcpA)) {
        findings.push({
          status: 'warn',
          summary: `The answer for ${name} does not fit in UDP (TC bit set); it arrives only through the TCP fallback.`,
          cause: 'The answer exceeds 512 bytes. Resolvers without TCP fallback (musl before 1.2.4, Alpine before 3.18) fail on it.',
          remediation: 'Keep port 53/TCP open and use job images with glibc or Alpine 3.18 and later.',
        })
      }
    }
    if (udpA && usable(udpA) && tcpA && answered(tcpA).length === 0) {
      findings.push({
        status: 'warn',
        summary: `${server} answers over UDP but not over TCP; large answers will fail.`,
        cause: 'Port 53/TCP is blocked (NetworkPolicy or firewall) or the server does not serve TCP.',
        remediation: 'Allow port 53/TCP from job pods to the nameserver.',
      })
    }
    if (udpA && answered(udpA).length === 0 && tcpA && usable(tcpA)) {
      findings.push({
        status: 'fail',
        summary: `${server} answers over TCP but not over UDP, and resolvers use UDP first.`,
        cause: 'Port 53/UDP is blocked.',
        remediation: 'Allow port 53/UDP from job pods to the nameserver.',
      })
    }
    const aaaa = mine.filter((s) => s.type === 'AAAA')
    const badAaaa = aaaa.filter(
      (s) => answered(s).some((a) => a.rcode === 'SERVFAIL' || a.rcode === 'REFUSED') || (answered(s).length === 0 && s.answers.length > 0),
    )
    if (badAaaa.length > 0 && udpA && usable(udpA)) {
      findings.push({
        status: 'warn',
        summary: `AAAA queries for ${name} fail on ${server} while A works; dual-stack lookups wait for them.`,
        cause: 'The upstream drops or fails AAAA queries (common with IPv4-only forwarders).',
        remediation: 'Fix the upstream AAAA handling, or answer AAAA locally in the cluster DNS (CoreDNS template returning NOERROR).',
      })
    }
    const rtts = mine.flatMap((s) => answered(s).map((a) => a.rttMs))
    const worst = rtts.length > 0 ? Math.max(...rtts) : 0
    if (worst >= 4000) {
      findings.push({
        status: 'warn',
        summary: `A query for ${name} took ${formatMs(worst)} on ${server}: the 5 s stall.`,
        cause: 'Lost packets retried after a 5 s timeout inside the DNS path (conntrack race or a slow upstream).',
        remediation: STALL_REMEDIATION,
      })
    } else if (worst >= 1000) {
      findings.push({
        status: 'warn',
        summary: `DNS is slow for ${name}: worst ${formatMs(worst)} on ${server}.`,
        cause: 'An overloaded DNS service or a slow upstream forwarder.',
        remediation: 'Scale the cluster DNS or enable NodeLocal DNSCache.',
      })
    }
  }
  return findings
}

async function systemLookup(name: string, timeoutMs: number): Promise<{addresses: string[]; ms: number; error?: string}> {
  const startedAt = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {code: 'timeout'})), Math.max(timeoutMs, 6000))
    })
    const result = await Promise.race([lookup(name, {all: true}), timeout])
    return {addresses: result.map((r) => r.address), ms: performance.now() - startedAt}
  } catch (error) {
    return {addresses: [], ms: performance.now() - startedAt, error: errorCode(error)}
  } finally {
    clearTimeout(timer)
  }
}

export async function checkDnsName(ctx: ProbeContext, target: DnsName): Promise<CheckResult> {
  const startedAt = performance.now()
  const resolv = ctx.resolv
  if (target.role === 'cluster' && !isInCluster(ctx)) {
    return simpleCheck(
      target.id,
      'skip',
      `Not inside a Kubernetes pod (no KUBERNETES_SERVICE_HOST, no svc.${ctx.options.clusterDomain} ` +
        `search domain); ${target.name} was not checked.`,
      [],
      startedAt,
    )
  }
  if (!resolv || resolv.nameservers.length === 0) {
    return simpleCheck(target.id, 'skip', `No nameserver to ask for ${target.name}.`, [], startedAt)
  }
  const seriesPromises: Promise<Series>[] = []
  for (const server of resolv.nameservers.slice(0, 3)) {
    for (const transport of ['udp', 'tcp'] as const) {
      for (const type of ['A', 'AAAA'] as const) seriesPromises.push(runSeries(ctx, server, target.name, transport, type))
    }
  }
  const systemPromise = ctx.systemResolverMatches ? systemLookup(target.name, ctx.options.timeoutMs) : undefined
  const all = await Promise.all(seriesPromises)
  const evidence = all.map(describeSeries)
  const findings = evaluateName(ctx, target, all)
  if (systemPromise) {
    const system = await systemPromise
    const raw = new Set(all.flatMap((s) => answered(s).flatMap((a) => a.addresses)))
    evidence.push(
      system.error
        ? `getaddrinfo: ${system.error} after ${formatMs(system.ms)}`
        : `getaddrinfo: ${system.addresses.join(' ')} in ${formatMs(system.ms)}`,
    )
    if (system.error && raw.size > 0) {
      findings.push({
        status: 'warn',
        summary: `The nameservers resolve ${target.name} but getaddrinfo fails (${system.error}).`,
        cause: 'The system resolver path differs from the raw queries: nsswitch.conf, the search list with ndots, or a hosts file entry.',
        remediation: 'Compare /etc/nsswitch.conf and resolv.conf options with the evidence, or write the name with a trailing dot.',
      })
    } else if (!system.error && system.addresses.some((a) => !raw.has(a)) && raw.size > 0) {
      evidence.push('getaddrinfo returns addresses the nameservers did not (hosts file or a search domain answered first).')
    }
  } else {
    evidence.push('getaddrinfo: not compared, because the resolv.conf or hosts file under test is not the system one.')
  }
  const firstAddress = all.flatMap((s) => answered(s).flatMap((a) => a.addresses))[0]
  const udpRtts = all.filter((s) => s.transport === 'udp').flatMap((s) => answered(s).map((a) => a.rttMs))
  return finishCheck(
    {
      id: target.id,
      evidence,
      findings,
      passSummary:
        `${target.name} resolves to ${firstAddress} (UDP ` +
        `median ${formatMs(median(udpRtts))}, worst ${formatMs(Math.max(...udpRtts))}).`,
    },
    startedAt,
  )
}

/** The names a glibc resolver tries, in order, before and including the absolute name. */
export function searchExpansion(name: string, resolv: Pick<ResolvConf, 'search' | 'ndots'>): string[] {
  const dots = name.split('.').length - 1
  const expanded = resolv.search.map((domain) => `${name}.${domain}`)
  return dots >= resolv.ndots ? [name, ...expanded] : [...expanded, name]
}

/** Queries a resolver sends for A and AAAA before it asks for the name itself (0 when ndots is met). */
export function extraQueriesFor(name: string, resolv: Pick<ResolvConf, 'search' | 'ndots'>): number {
  const dots = name.split('.').length - 1
  return dots >= resolv.ndots ? 0 : 2 * resolv.search.length
}

export async function checkSearchExpansion(ctx: ProbeContext, names: DnsName[]): Promise<CheckResult> {
  const startedAt = performance.now()
  const resolv = ctx.resolv
  const external = names.filter((n) => n.external)
  if (!resolv || resolv.nameservers.length === 0)
    return simpleCheck('dns-search-expansion', 'skip', 'No resolv.conf nameserver; search expansion not measured.', [], startedAt)
  if (external.length === 0)
    return simpleCheck('dns-search-expansion', 'skip', 'No external name to measure (pass --gitlab-url or --target).', [], startedAt)
  const evidence: string[] = [`ndots:${resolv.ndots}, search: ${resolv.search.join(' ') || '(none)'}`]
  const findings: Observation[] = []
  const server = resolv.nameservers[0]
  const costly: string[] = []
  await Promise.all(
    external.map(async (target) => {
      const extra = extraQueriesFor(target.name, resolv)
      if (extra === 0) {
        evidence.push(`${target.name}: ${target.name.split('.').length - 1} dots >= ndots:${resolv.ndots}, asked as is (2 queries)`)
        return
      }
      costly.push(target.name)
      const expanded = searchExpansion(target.name, resolv).slice(0, resolv.search.length)
      let spentMs = 0
      const hijacked: string[] = []
      for (const candidate of expanded) {
        // A and AAAA go out together, as glibc and musl send them.
        const [a, aaaa] = await Promise.all(
          (['A', 'AAAA'] as const).map((type) =>
            queryDns({server, name: `${candidate}.`, type, transport: 'udp', timeoutMs: ctx.options.timeoutMs}),
          ),
        )
        spentMs += Math.max(a.rttMs, aaaa.rttMs)
        if (a.rcode === 'NOERROR' && a.addresses.length > 0) {
          hijacked.push(`${candidate} -> ${a.addresses[0]}`)
          break
        }
      }
      evidence.push(
        `${target.name}: ${extra} extra queries (${expanded.join(', ')}) before the name itself, ${formatMs(spentMs)} spent on them`,
      )
      if (hijacked.length > 0) {
        findings.push({
          status: 'fail',
          summary: `${target.name} is answered by the search domain as ${hijacked[0]}, not by its real record.`,
          cause: 'A wildcard record in a search domain captures external names that have fewer dots than ndots.',
          remediation:
            `Lower ndots with [[runners.kubernetes.dns_config.options]] name = "ndots" value = "${suggestedNdots(external)}", ` +
            `or write ${target.name} with a trailing dot.`,
        })
      }
    }),
  )
  if (costly.length > 0) {
    const perName = 2 * resolv.search.length
    findings.push({
      status: 'warn',
      summary:
        `ndots:${resolv.ndots} with ${resolv.search.length} search domains costs ${perName} extra ` +
        `queries for each lookup of ${costly.join(', ')}.`,
      cause:
        `Names with fewer than ${resolv.ndots} dots are tried with every search domain first, and ` +
        `each miss is a round trip to the DNS service.`,
      remediation:
        `Add [[runners.kubernetes.dns_config.options]] name = "ndots" value = "${suggestedNdots(external)}" ` +
        `to the runner config, or write external names with a trailing dot.`,
    })
  }
  return finishCheck(
    {
      id: 'dns-search-expansion',
      evidence,
      findings,
      passSummary: `External names are asked as is with ndots:${resolv.ndots}; no search-list detour.`,
    },
    startedAt,
  )
}

/** An ndots that lets every external name skip the search list, never below 1 nor above the common 2. */
function suggestedNdots(external: DnsName[]): number {
  const minDots = Math.min(...external.map((n) => n.name.split('.').length - 1))
  return Math.max(1, Math.min(2, minDots))
}

/** One task per DNS check; the runner starts them together. */
export function dnsCheckTasks(ctx: ProbeContext): Array<{id: string; run: () => Promise<CheckResult | CheckResult[]>}> {
  const names = dnsNamesToCheck(ctx)
  return [
    ...names.map((n) => ({id: n.id, run: () => checkDnsName(ctx, n)})),
    {id: 'dns-search-expansion', run: () => checkSearchExpansion(ctx, names)},
    {id: 'dns-search-wildcard', run: () => checkSearchWildcards(ctx)},
    {id: 'dns-loss', run: () => checkDnsLoss(ctx, names)},
  ]
}

/** Chance that a nameserver dropping one query in `oneIn` loses at least one of `n`: 1 - (1 - 1/oneIn)^n. */
export function lossDetectionChance(n: number, oneIn = 20): number {
  return 1 - (1 - 1 / oneIn) ** n
}

/** A name every nameserver under test should answer: the cluster name inside Kubernetes, else the first other name. */
function lossSeriesName(ctx: ProbeContext, names: DnsName[]): DnsName | undefined {
  return names.find((n) => n.role !== 'cluster' || isInCluster(ctx))
}

/**
 * Sends `dnsLossQueries` UDP queries for one name to each nameserver, a few at a time, and counts the lost ones: an
 * intermittent loss (1 in 20) that three tries would almost never show (1 - 0.95^3 ≈ 14 %) shows here with about 95 %
 * chance (see DNS_LOSS_QUERIES).
 */
export async function checkDnsLoss(ctx: ProbeContext, names: DnsName[]): Promise<CheckResult[]> {
  const startedAt = performance.now()
  const n = ctx.options.dnsLossQueries
  const servers = ctx.resolv?.nameservers.slice(0, 3) ?? []
  const target = lossSeriesName(ctx, names)
  const chance = `${(lossDetectionChance(n) * 100).toFixed(1)} %`
  if (n === 0) return []
  if (!servers.length || !target)
    return [simpleCheck('dns-loss', 'skip', 'No nameserver or no name to measure packet loss with.', [], startedAt)]
  return Promise.all(
    servers.map(async (server) => {
      const id = `dns-loss-${idFragment(server)}`
      const answers: DnsAnswer[] = []
      let next = 0
      // Ten in flight: fast on a healthy server, and still one source port per query as resolvers use.
      await Promise.all(
        Array.from({length: Math.min(10, n)}, async () => {
          while (next < n) {
            next++
            answers.push(await queryDns({server, name: `${target.name}.`, type: 'A', transport: 'udp', timeoutMs: ctx.options.timeoutMs}))
          }
        }),
      )
      const lost = answers.filter((a) => a.rcode === undefined).length
      const rtts = answers.filter((a) => a.rcode !== undefined).map((a) => a.rttMs)
      const evidence = [
        `${n} UDP A queries for ${target.name} to ${server}: ${n - lost} answered, ${lost} ` +
          `lost${rtts.length ? `, median ${formatMs(median(rtts))}, worst ${formatMs(Math.max(...rtts))}` : ''}`,
        `a 1-in-20 loss shows in ${n} queries with ${chance} probability`,
      ]
      if (lost === n) {
        return simpleCheck(id, 'fail', `Nameserver ${server} does not answer: ${n} of ${n} queries were lost.`, evidence, startedAt, {
          cause: `Queries to ${server} are dropped: the DNS service is down, a NetworkPolicy blocks port 53, or the address is wrong.`,
          remediation: 'Check that the cluster DNS pods run and that port 53 (UDP and TCP) to the nameserver is allowed from job pods.',
        })
      }
      if (lost > 0) {
        return simpleCheck(
          id,
          'warn',
          `${server} lost ${lost} of ${n} queries (${((lost / n) * 100).toFixed(1)} %); ${stallNote(ctx.resolv)}, ` +
            `so about one lookup in ${Math.max(1, Math.round(n / lost))} stalls.`,
          evidence,
          startedAt,
          {
            cause:
              'Intermittent packet loss towards the DNS service: the conntrack race on parallel A and AAAA ' +
              'queries (kubernetes#56903) or an overloaded DNS pod.',
            remediation: STALL_REMEDIATION,
          },
        )
      }
      return simpleCheck(
        id,
        'pass',
        `${server} answered all ${n} queries (a 1-in-20 loss would have shown with ${chance} probability).`,
        evidence,
        startedAt,
      )
    }),
  )
}

/**
 * A search domain with a wildcard record answers every name tried under it, so a short external name (fewer dots
 * than ndots) resolves to the wildcard's address instead of its own. A random label shows it, whatever the
 * external names are.
 */
export async function checkSearchWildcards(ctx: ProbeContext): Promise<CheckResult> {
  const startedAt = performance.now()
  const resolv = ctx.resolv
  const server = resolv?.nameservers[0]
  if (!resolv || !server || resolv.search.length === 0)
    return simpleCheck('dns-search-wildcard', 'skip', 'No search domains to test for wildcard records.', [], startedAt)
  const label = `rd-probe-${Math.random().toString(36).slice(2, 10)}`
  const evidence: string[] = []
  const wildcards: string[] = []
  await Promise.all(
    resolv.search.map(async (domain) => {
      const answer = await queryDns({server, name: `${label}.${domain}.`, type: 'A', transport: 'udp', timeoutMs: ctx.options.timeoutMs})
      evidence.push(`${label}.${domain}: ${answer.rcode ?? answer.error}${answer.addresses.length ? ` ${answer.addresses.join(' ')}` : ''}`)
      if (answer.rcode === 'NOERROR' && answer.addresses.length) wildcards.push(`${domain} (→ ${answer.addresses[0]})`)
    }),
  )
  if (wildcards.length) {
    return simpleCheck(
      'dns-search-wildcard',
      'fail',
      `Search domain${wildcards.length === 1 ? '' : 's'} ${wildcards.join(', ')} answer${wildcards.length === 1 ? 's' : ''} ` +
        `any name: a wildcard record catches external names with fewer than ${resolv.ndots} dots.`,
      evidence,
      startedAt,
      {
        cause: 'A wildcard DNS record in a search domain answers before the real name is tried.',
        remediation:
          `Remove the wildcard domain from the search list (dns_config searches), or lower ndots with ` +
          `[[runners.kubernetes.dns_config.options]] name = "ndots" value = "1" and write external names ` +
          `with a trailing dot.`,
      },
    )
  }
  return simpleCheck(
    'dns-search-wildcard',
    'pass',
    `No search domain answers made-up names (${resolv.search.length} checked).`,
    evidence,
    startedAt,
  )
}
