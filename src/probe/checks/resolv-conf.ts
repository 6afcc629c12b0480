import type {CheckResult} from '../types.js'
import {type Observation, finishCheck} from './util.js'

export interface ResolvConf {
  nameservers: string[]
  search: string[]
  ndots: number
  /** Per-try timeout in seconds (`options timeout:N`), glibc default 5. */
  timeoutSeconds: number
  attempts: number
  /** Every option word as written, e.g. `ndots:5`, `single-request-reopen`, `edns0`. */
  options: string[]
}

/** Parses resolv.conf the way glibc does: last `search`/`domain` wins, options accumulate. */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = {nameservers: [], search: [], ndots: 1, timeoutSeconds: 5, attempts: 2, options: []}
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/[#;].*$/, '').trim()
    if (!line) continue
    const [keyword, ...values] = line.split(/\s+/)
    if (keyword === 'nameserver' && values[0]) conf.nameservers.push(values[0])
    else if (keyword === 'search') conf.search = values
    else if (keyword === 'domain' && values[0]) conf.search = [values[0]]
    else if (keyword === 'options') {
      for (const option of values) {
        conf.options.push(option)
        const [name, value] = option.split(':')
        const n = Number(value)
        if (name === 'ndots' && Number.isInteger(n)) conf.ndots = Math.min(n, 15)
        if (name === 'timeout' && Number.isInteger(n)) conf.timeoutSeconds = Math.min(Math.max(n, 1), 30)
        if (name === 'attempts' && Number.isInteger(n)) conf.attempts = Math.min(Math.max(n, 1), 5)
      }
    }
  }
  return conf
}

export function describeResolvConf(conf: ResolvConf): string[] {
  return [
    `nameservers: ${conf.nameservers.join(', ') || '(none)'}`,
    `search: ${conf.search.join(' ') || '(none)'}`,
    `ndots: ${conf.ndots}, timeout: ${conf.timeoutSeconds} s, attempts: ${conf.attempts}`,
    `options: ${conf.options.join(' ') || '(none)'}`,
  ]
}

export function checkResolvConf(path: string, text: string | undefined, readError: string | undefined): CheckResult {
  const startedAt = performance.now()
  if (text === undefined) {
    return finishCheck(
      {
        id: 'resolv-conf',
        evidence: [`${path}: ${readError ?? 'unreadable'}`],
        passSummary: '',
        findings: [
          {
            status: 'fail',
            summary: `${path} cannot be read, so every lookup falls back to a nameserver on 127.0.0.1.`,
            cause: 'The container has no resolver configuration (an unusual image or a broken dnsPolicy).',
            remediation: 'Check the pod dnsPolicy and dnsConfig in the runner config, or mount a valid resolv.conf.',
          },
        ],
      },
      startedAt,
    )
  }
  const conf = parseResolvConf(text)
  const findings: Observation[] = []
  if (conf.nameservers.length === 0) {
    findings.push({
      status: 'fail',
      summary: `${path} lists no nameserver, so lookups go to 127.0.0.1 where nothing answers.`,
      cause: 'dns_policy "none" without dns_config nameservers, or a broken image.',
      remediation: 'Set [[runners.kubernetes.dns_config]] nameservers, or use the default dns_policy.',
    })
  }
  if (conf.nameservers.length > 3) {
    findings.push({
      status: 'warn',
      summary: `${path} lists ${conf.nameservers.length} nameservers; glibc uses only the first 3.`,
      cause: 'The pod DNS configuration merges too many nameservers.',
      remediation: 'Keep at most 3 nameservers in dns_config.',
    })
  }
  if (conf.search.length > 6) {
    findings.push({
      status: 'warn',
      summary: `${path} has ${conf.search.length} search domains; older glibc keeps only 6.`,
      cause: 'The node search list plus the cluster ones exceed the limit.',
      remediation: 'Trim the search list with dns_config searches or the node resolv.conf.',
    })
  }
  return finishCheck(
    {
      id: 'resolv-conf',
      evidence: [`file: ${path}`, ...describeResolvConf(conf)],
      findings,
      passSummary: `${conf.nameservers.length} nameserver(s), ${conf.search.length} search domain(s), ndots:${conf.ndots}.`,
    },
    startedAt,
  )
}
