import {buildContext} from '../../../src/probe/agent/run-checks.js'
import {DNS_LOSS_QUERIES, resolveAgentOptions} from '../../../src/probe/agent/options.js'
import {checkDnsLoss, checkSearchWildcards, dnsNamesToCheck, lossDetectionChance} from '../../../src/probe/checks/dns.js'
import {findCauses} from '../../../src/probe/report/causes.js'
import {type Dnsmasq, startDnsmasq} from '../../support/dnsmasq.js'
import {type FaultDnsServer, startFaultDnsServer} from '../../support/fault-dns-server.js'
import {randomLoopbackAddress} from '../../support/loopback.js'
import {type TempFiles, tempFiles} from './helpers.js'

/*
 * Intermittent loss and wildcard search domains, against the dns-packet fault server (drops exactly every 20th UDP
 * query for a name) and Debian dnsmasq (a real wildcard record with --address).
 */

let faults: FaultDnsServer
let dnsmasq: Dnsmasq
let files: TempFiles

beforeAll(async () => {
  ;[faults, dnsmasq] = await Promise.all([
    startFaultDnsServer({'lossy20.example.com': {a: ['127.0.0.30'], dropEveryUdp: 20}, 'steady.example.com': {a: ['127.0.0.31']}}),
    startDnsmasq({records: {'gitlab.example.com': '127.0.0.12'}, localDomains: ['example.com'], wildcards: {'corp.example': '127.0.0.77'}}),
  ])
  files = tempFiles()
})

afterAll(async () => {
  await Promise.all([faults?.stop(), dnsmasq?.stop()])
  files?.remove()
})

function context(resolvConf: string, targets: string[], timeoutMs = 300) {
  const options = resolveAgentOptions(
    {
      resolvConf: files.write(`resolv-${Math.random().toString(36).slice(2)}.conf`, resolvConf),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      targets,
      timeoutMs,
    },
    {},
    {dindWaitMs: 0},
  )
  return buildContext(options, {env: {}, progress: () => undefined}).ctx
}

test('the number of queries and the confidence the code states', () => {
  expect(DNS_LOSS_QUERIES).toBe(60)
  expect(lossDetectionChance(60)).toBeCloseTo(0.954, 3)
  expect(lossDetectionChance(3)).toBeCloseTo(0.143, 3)
})

test('a nameserver that drops one UDP query in 20 is caught: 3 of 60 lost, a warning with the stall it causes', async () => {
  const ctx = context(`nameserver ${faults.address}\n`, ['lossy20.example.com'])
  const [check] = await checkDnsLoss(ctx, dnsNamesToCheck(ctx))
  expect(check!.id).toBe(`dns-loss-${faults.address.replaceAll('.', '-')}`)
  expect(check!.status).toBe('warn')
  expect(check!.summary).toBe(
    `${faults.address} lost 3 of 60 queries (5.0 %); a resolver waits 5 s per lost query before ` +
      `it retries (the 5 s stall), so about one lookup in 20 stalls.`,
  )
  expect(check!.evidence[1]).toBe('a 1-in-20 loss shows in 60 queries with 95.4 % probability')
  expect(faults.received.filter((q) => q.name === 'lossy20.example.com' && q.transport === 'udp').length).toBeGreaterThanOrEqual(60)
})

test('a steady nameserver passes and says what it would have caught', async () => {
  const ctx = context(`nameserver ${faults.address}\n`, ['steady.example.com'])
  const [check] = await checkDnsLoss(ctx, dnsNamesToCheck(ctx))
  expect(check!.status).toBe('pass')
  expect(check!.summary).toBe(`${faults.address} answered all 60 queries (a 1-in-20 loss would have shown with 95.4 % probability).`)
})

test('a dead nameserver loses everything and becomes the nameserver cause', async () => {
  const dead = randomLoopbackAddress()
  const ctx = context(`nameserver ${dead}\n`, ['steady.example.com'], 100)
  const checks = await checkDnsLoss(ctx, dnsNamesToCheck(ctx))
  expect(checks[0]!.status).toBe('fail')
  expect(findCauses(checks)[0]!.id).toBe(`nameserver-dead-${dead.replaceAll('.', '-')}`)
})

test('a search domain with a wildcard record is flagged; ordinary search domains are not', async () => {
  const wild = await checkSearchWildcards(context(`nameserver ${dnsmasq.address}\nsearch example.com corp.example\noptions ndots:5\n`, []))
  expect(wild.status).toBe('fail')
  expect(wild.summary).toBe(
    'Search domain corp.example (→ 127.0.0.77) answers any name: a wildcard record catches external names with fewer than 5 dots.',
  )
  expect(wild.evidence.some((e) => /^rd-probe-[a-z0-9]+\.example\.com: NXDOMAIN$/.test(e))).toBe(true)
  const clean = await checkSearchWildcards(context(`nameserver ${dnsmasq.address}\nsearch example.com\n`, []))
  expect(clean.status).toBe('pass')
})
