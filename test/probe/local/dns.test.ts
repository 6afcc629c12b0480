import {runLocalProbe} from '../../../src/probe/local.js'
import {extraQueriesFor, searchExpansion} from '../../../src/probe/checks/dns.js'
import {parseResolvConf} from '../../../src/probe/checks/resolv-conf.js'
import {type Dnsmasq, startDnsmasq} from '../../support/dnsmasq.js'
import {type FaultDnsServer, startFaultDnsServer} from '../../support/fault-dns-server.js'
import {check, expectWellFormed, type TempFiles, tempFiles} from './helpers.js'

const many = Array.from({length: 40}, (_, i) => `127.0.9.${i + 1}`)

let dnsmasq: Dnsmasq
let faults: FaultDnsServer
let files: TempFiles

beforeAll(async () => {
  dnsmasq = await startDnsmasq({
    records: {
      'kubernetes.default.svc.cluster.local': '127.0.0.11',
      'gitlab.example.com': '127.0.0.12',
      'registry.example.com': '127.0.0.13',
    },
    localDomains: ['cluster.local', 'example.com'],
  })
  faults = await startFaultDnsServer({
    'big.example.com': {a: many, fault: 'truncate'},
    'dropped.example.com': {a: ['127.0.0.20'], fault: 'drop'},
    'broken.example.com': {fault: 'servfail'},
    'v4only.example.com': {a: ['127.0.0.21'], aaaaFault: 'servfail'},
    'lossy.example.com': {a: ['127.0.0.22'], dropEveryUdp: 2},
    'udponly.example.com': {a: ['127.0.0.23'], tcp: 'drop'},
  })
  files = tempFiles()
})

afterAll(async () => {
  await dnsmasq?.stop()
  await faults?.stop()
  files?.remove()
})

function probe(resolvConf: string, extra: Record<string, unknown> = {}) {
  return runLocalProbe(
    {
      resolvConf: files.write(`resolv-${Math.random().toString(36).slice(2)}.conf`, resolvConf),
      hostsFile: files.write('hosts', '127.0.0.1 localhost\n'),
      dockerHosts: ['tcp://127.0.0.1:9'],
      dindWaitMs: 0,
      timeoutMs: 300,
      dnsTries: 3,
      ...extra,
    },
    {env: {}},
  )
}

describe('raw DNS against a real dnsmasq', () => {
  test('cluster name, GitLab host and registry resolve, with latency and the getaddrinfo note', async () => {
    const report = await probe(
      `nameserver ${dnsmasq.address}\nsearch ci.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`,
      {
        gitlabUrl: 'https://gitlab.example.com',
        registries: ['registry.example.com:5050'],
      },
    )
    expectWellFormed(report)
    const cluster = check(report, 'dns-cluster-name')
    expect(cluster.status).toBe('pass')
    expect(cluster.summary).toContain('127.0.0.11')
    expect(cluster.evidence.some((e) => e.startsWith(`${dnsmasq.address} udp A: NOERROR, 127.0.0.11, median`))).toBe(true)
    expect(cluster.evidence.some((e) => e.startsWith(`${dnsmasq.address} tcp A: NOERROR`))).toBe(true)
    expect(check(report, 'dns-gitlab-host').summary).toContain('127.0.0.12')
    expect(check(report, 'dns-registry-registry-example-com').status).toBe('pass')
    expect(check(report, 'dns-gitlab-host').evidence).toContain(
      'getaddrinfo: not compared, because the resolv.conf or hosts file under test is not the system one.',
    )
  })

  test('ndots:5 with a search list is called out for external names, with the dns_config fix and the real cost', async () => {
    const report = await probe(
      `nameserver ${dnsmasq.address}\nsearch ci.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`,
      {
        gitlabUrl: 'https://gitlab.example.com',
      },
    )
    const expansion = check(report, 'dns-search-expansion')
    expect(expansion.status).toBe('warn')
    expect(expansion.summary).toBe('ndots:5 with 3 search domains costs 6 extra queries for each lookup of gitlab.example.com.')
    expect(expansion.remediation).toContain('[[runners.kubernetes.dns_config.options]] name = "ndots" value = "2"')
    expect(
      expansion.evidence.some((e) =>
        e.startsWith(
          'gitlab.example.com: 6 extra queries (gitlab.example.com.ci.svc.cluster.local, gitlab.example.com.svc.cluster.local, ' +
            'gitlab.example.com.cluster.local)',
        ),
      ),
    ).toBe(true)
  })

  test('ndots:2 lets the same name skip the search list', async () => {
    const report = await probe(
      `nameserver ${dnsmasq.address}\nsearch ci.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:2\n`,
      {
        gitlabUrl: 'https://gitlab.example.com',
      },
    )
    expect(check(report, 'dns-search-expansion').status).toBe('pass')
  })

  test('an unknown name in the cluster domain is NXDOMAIN, named as such', async () => {
    const report = await probe(`nameserver ${dnsmasq.address}\n`, {targets: ['missing.svc.cluster.local'], clusterDns: true})
    const target = check(report, 'dns-target-missing-svc-cluster-local')
    expect(target.status).toBe('fail')
    expect(target.summary).toBe('missing.svc.cluster.local does not exist (NXDOMAIN).')
  })
})

describe('DNS faults from the dns-packet server', () => {
  const conf = (): string => `nameserver ${faults.address}\noptions timeout:5\n`

  test('truncation: TC bit over UDP, then the TCP fallback is observed and warned about', async () => {
    const before = faults.received.filter((q) => q.name === 'big.example.com' && q.transport === 'tcp').length
    const report = await probe(conf(), {targets: ['big.example.com']})
    const big = check(report, 'dns-target-big-example-com')
    expect(big.status).toBe('warn')
    expect(big.summary).toBe('The answer for big.example.com does not fit in UDP (TC bit set); it arrives only through the TCP fallback.')
    expect(big.evidence.some((e) => e.includes('udp A: NOERROR') && e.includes('TC bit set'))).toBe(true)
    expect(big.evidence.some((e) => e.includes('tcp A: NOERROR') && e.includes('(+36)'))).toBe(true)
    expect(faults.received.filter((q) => q.name === 'big.example.com' && q.transport === 'tcp').length).toBeGreaterThan(before)
  })

  test('drop: the timeout is named as the 5 s stall and the check fails', async () => {
    const report = await probe(conf(), {targets: ['dropped.example.com']})
    const dropped = check(report, 'dns-target-dropped-example-com')
    expect(dropped.status).toBe('fail')
    expect(dropped.summary).toBe(
      'No nameserver answered for dropped.example.com within 300 ms; a resolver waits 5 s per lost ' +
        'query before it retries (the 5 s stall), then the lookup fails.',
    )
    expect(dropped.evidence.some((e) => e.includes('0/3 answered') && e.includes('errors: timeout'))).toBe(true)
    expect(report.summary.exitCode).toBe(1)
  })

  test('SERVFAIL is named', async () => {
    const report = await probe(conf(), {targets: ['broken.example.com']})
    const broken = check(report, 'dns-target-broken-example-com')
    expect(broken.status).toBe('fail')
    expect(broken.summary).toBe('The nameserver answers SERVFAIL for broken.example.com.')
    expect(broken.cause).toContain('upstream')
  })

  test('AAAA SERVFAIL while A works is a warning about dual-stack waits', async () => {
    const report = await probe(conf(), {targets: ['v4only.example.com']})
    const v4 = check(report, 'dns-target-v4only-example-com')
    expect(v4.status).toBe('warn')
    expect(v4.summary).toContain('AAAA queries for v4only.example.com fail')
  })

  test('intermittent loss is reported with the stall it costs', async () => {
    // The loss series would share the server's every-2nd-query counter for this name; this test is about the name series.
    const report = await probe(conf(), {targets: ['lossy.example.com'], dnsTries: 4, dnsLossQueries: 0})
    const lossy = check(report, 'dns-target-lossy-example-com')
    expect(lossy.status).toBe('warn')
    expect(lossy.summary).toMatch(/^.+ lost 2 of 4 (A|AAAA) queries over UDP for lossy\.example\.com; a resolver waits 5 s per lost query/)
  })

  test('UDP without TCP is a warning about large answers', async () => {
    const report = await probe(conf(), {targets: ['udponly.example.com']})
    const udpOnly = check(report, 'dns-target-udponly-example-com')
    expect(udpOnly.status).toBe('warn')
    expect(udpOnly.summary).toBe(`${faults.address} answers over UDP but not over TCP; large answers will fail.`)
  })

  test('DNS checks for several names run concurrently', async () => {
    const names = ['big.example.com', 'dropped.example.com', 'broken.example.com', 'v4only.example.com']
    const report = await probe(conf(), {targets: names})
    const durations = names.map((n) => check(report, `dns-target-${n.replace(/\./g, '-')}`).durationMs)
    const sum = durations.reduce((a, b) => a + b, 0)
    // dropped.example.com alone waits 3 tries x 300 ms; run one after another the checks would take the sum.
    expect(report.timings.checksMs!).toBeLessThan(sum)
  })
})

describe('resolver arithmetic', () => {
  test('resolv.conf parsing keeps the last search line and reads the options', () => {
    const conf = parseResolvConf(
      '# comment\nnameserver 10.96.0.10\nsearch a b\nsearch ns.svc.cluster.local svc.cluster.local ' +
        'cluster.local\noptions ndots:5 timeout:2 attempts:3 single-request-reopen\n',
    )
    expect(conf).toEqual({
      nameservers: ['10.96.0.10'],
      search: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      ndots: 5,
      timeoutSeconds: 2,
      attempts: 3,
      options: ['ndots:5', 'timeout:2', 'attempts:3', 'single-request-reopen'],
    })
  })

  test('names below ndots are tried with every search domain first; names at ndots are asked as is', () => {
    const conf = {search: ['ns.svc.cluster.local', 'svc.cluster.local'], ndots: 2}
    expect(searchExpansion('gitlab.com', conf)).toEqual(['gitlab.com.ns.svc.cluster.local', 'gitlab.com.svc.cluster.local', 'gitlab.com'])
    expect(extraQueriesFor('gitlab.com', conf)).toBe(4)
    expect(searchExpansion('gitlab.example.com', conf)[0]).toBe('gitlab.example.com')
    expect(extraQueriesFor('gitlab.example.com', conf)).toBe(0)
  })
})
