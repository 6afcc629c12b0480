import type {CheckResult} from '../types.js'
import {finishCheck, type Observation} from './util.js'

export interface HostsEntry {
  address: string
  names: string[]
}

export function parseHostsFile(text: string): HostsEntry[] {
  const entries: HostsEntry[] = []
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/#.*$/, '').trim()
    if (!line) continue
    const [address, ...names] = line.split(/\s+/)
    if (names.length > 0) entries.push({address, names: names.map((n) => n.toLowerCase())})
  }
  return entries
}

/** First address for a name, in file order, as getaddrinfo's files backend returns it. */
export function lookupInHosts(entries: HostsEntry[], name: string): string | undefined {
  const wanted = name.toLowerCase().replace(/\.$/, '')
  return entries.find((e) => e.names.includes(wanted))?.address
}

const BASE_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'localhost4',
  'localhost6',
  'ip6-localhost',
  'ip6-loopback',
  'localhost4.localdomain4',
  'localhost6.localdomain6',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
])

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1'
}

/** Service aliases are the extra names kubernetes hostAliases map to 127.0.0.1 for the job's services. */
export function serviceAliases(entries: HostsEntry[]): string[] {
  const aliases = entries
    .filter((e) => isLoopback(e.address))
    .flatMap((e) => e.names)
    .filter((n) => !BASE_NAMES.has(n))
  return [...new Set(aliases)]
}

export interface AliasCheckInput {
  path: string
  text: string | undefined
  readError?: string
  /** Host names the Docker client is pointed at (from DOCKER_HOST and the requested hosts). */
  dockerHostNames: string[]
  hostname?: string
}

export function checkHostsAliases(input: AliasCheckInput): CheckResult {
  const startedAt = performance.now()
  if (input.text === undefined) {
    return finishCheck(
      {
        id: 'hosts-aliases',
        evidence: [`${input.path}: ${input.readError ?? 'unreadable'}`],
        passSummary: '',
        findings: [
          {
            status: 'warn',
            summary: `${input.path} cannot be read, so service aliases cannot be checked.`,
            cause: 'The container has no hosts file or it is not readable.',
            remediation: 'Run the probe in an image with a readable /etc/hosts.',
          },
        ],
      },
      startedAt,
    )
  }
  const entries = parseHostsFile(input.text)
  const own = new Set([input.hostname?.toLowerCase()].filter(Boolean))
  const aliases = serviceAliases(entries).filter((a) => !own.has(a))
  const evidence = [`file: ${input.path}`, `loopback aliases: ${aliases.join(', ') || '(none)'}`]
  const dockerAddress = lookupInHosts(entries, 'docker')
  evidence.push(dockerAddress ? `docker -> ${dockerAddress}` : 'docker: not in the hosts file')
  const findings: Observation[] = []
  const needsDockerAlias = input.dockerHostNames.includes('docker')
  if (!dockerAddress && needsDockerAlias) {
    findings.push({
      status: 'fail',
      summary: 'The Docker client targets host "docker" but the hosts file has no "docker" alias.',
      cause:
        'The dind service has no alias "docker": an image from a registry path (registry.example.com/group/docker:dind) ' +
        'gets a different alias, or the service is missing.',
      remediation: 'Add `alias: docker` to the docker:dind service in .gitlab-ci.yml, or point DOCKER_HOST at tcp://localhost:2376.',
    })
  } else if (dockerAddress && !isLoopback(dockerAddress)) {
    findings.push({
      status: 'warn',
      summary: `The "docker" alias points at ${dockerAddress}, not at the pod's own loopback.`,
      cause: 'A host_aliases entry in the runner config or the image overrides the service alias.',
      remediation: 'Remove the conflicting host_aliases entry so "docker" maps to 127.0.0.1.',
    })
  } else if (!dockerAddress) {
    findings.push({status: 'pass', summary: 'No "docker" alias; nothing here uses it.'})
  }
  return finishCheck(
    {
      id: 'hosts-aliases',
      evidence,
      findings,
      passSummary: aliases.length > 0 ? `Service aliases on loopback: ${aliases.join(', ')}.` : 'No service aliases; nothing requires one.',
    },
    startedAt,
  )
}
