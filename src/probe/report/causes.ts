import type {CheckResult, ProbeCause} from '../types.js'

/*
 * Groups failing and warning checks under the causes that explain them, root causes first: one dead daemon makes
 * every Docker check after it fail, one dead nameserver every lookup through it. Each rule looks at checks' ids and
 * what they observed; a check no rule claims becomes a cause of its own, so nothing that needs attention is lost.
 */

const needsAttention = (c: CheckResult): boolean => c.status === 'fail' || c.status === 'warn'
const isDockerCheck = (c: CheckResult): boolean => c.id.startsWith('docker-') || c.id === 'dind-container'
const text = (c: CheckResult): string => [c.summary, c.cause ?? '', ...c.evidence].join('\n')
const worst = (checks: CheckResult[]): 'fail' | 'warn' => (checks.some((c) => c.status === 'fail') ? 'fail' : 'warn')

interface Rule {
  id: string
  /** The checks this cause explains, when the cause is present; empty when it is not. */
  explains(checks: CheckResult[]): CheckResult[]
  title(explained: CheckResult[]): string
  fix(explained: CheckResult[]): string
}

const TLS_FIX =
  'Use DOCKER_HOST=tcp://docker:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=/certs/client ' +
  'and share /certs/client with an empty_dir volume, or set DOCKER_TLS_CERTDIR="" on the dind ' +
  'service and use tcp://docker:2375.'

const dockerFailures = (checks: CheckResult[]) => checks.filter((c) => isDockerCheck(c) && needsAttention(c))

/** The rules, most fundamental first: a check explained by an earlier cause is not offered to later ones. */
const RULES: Rule[] = [
  {
    id: 'dind-not-privileged',
    explains: (checks) => {
      const dind = checks.find((c) => c.id === 'dind-container' && c.status === 'fail' && /privileged/i.test(text(c)))
      return dind ? [dind, ...dockerFailures(checks).filter((c) => c !== dind)] : []
    },
    title: () => 'dind is not privileged, so the Docker daemon cannot start.',
    fix: () =>
      'Set privileged = true in [runners.kubernetes] (or privileged in service_container_security_context) ' +
      'for the runner that starts dind, or build without dind (kaniko, buildah).',
  },
  {
    id: 'docker-port-tls-mismatch',
    explains: (checks) => {
      const mismatch = checks.some(
        (c) =>
          isDockerCheck(c) &&
          needsAttention(c) &&
          // Summaries only: the evidence of every TLS endpoint holds the plain probe's "HTTP request to an HTTPS server".
          (/HTTP request to an HTTPS server|answers plain HTTP on a port the client treats as TLS/i.test(c.summary) ||
            /^DOCKER_HOST=\S+ does not work, but a daemon answers/.test(c.summary)),
      )
      return mismatch ? dockerFailures(checks) : []
    },
    title: (explained) => {
      const plainOnTls = explained.some((c) =>
        /answers plain HTTP on a port the client treats as TLS|without TLS on 2375 while DOCKER_HOST/.test(text(c)),
      )
      return plainOnTls
        ? "Your DOCKER_HOST port does not match the daemon's TLS setting: the client expects TLS, the daemon serves plain HTTP on 2375."
        : "Your DOCKER_HOST port does not match the daemon's TLS setting: dind serves TLS on 2376 (DOCKER_TLS_CERTDIR " +
            'is set), the client talks plain HTTP to 2375.'
    },
    fix: () => TLS_FIX,
  },
  {
    id: 'docker-alias-missing',
    explains: (checks) => {
      const alias = checks.filter(
        (c) =>
          (c.id === 'hosts-aliases' && needsAttention(c) && /docker/.test(c.summary)) ||
          (isDockerCheck(c) && needsAttention(c) && /^docker does not resolve/.test(c.summary)),
      )
      return alias.length ? [...new Set([...alias, ...dockerFailures(checks)])] : []
    },
    title: () => 'The dind service has no "docker" alias, so tcp://docker:… does not resolve in the job pod.',
    fix: () =>
      'Add alias: docker to the dind service (its image name from a registry path gives another ' +
      'alias), or point DOCKER_HOST at tcp://localhost:2376.',
  },
  {
    id: 'docker-certs-volume-missing',
    explains: (checks) =>
      checks.some((c) => isDockerCheck(c) && needsAttention(c) && /requires client certificates, but .* has none/.test(c.summary))
        ? dockerFailures(checks)
        : [],
    title: () =>
      'dind serves TLS and wants client certificates, but they are not shared with the build container: no volume at /certs/client.',
    fix: () =>
      'Add [[runners.kubernetes.volumes.empty_dir]] name = "docker-certs" mount_path = "/certs/client" ' +
      'medium = "Memory" to the runner config and set DOCKER_CERT_PATH=/certs/client.',
  },
  {
    id: 'docker-daemon-missing',
    explains: (checks) =>
      checks.some(
        (c) =>
          (c.id === 'docker-daemon' || c.id === 'dind-container') &&
          c.status === 'fail' &&
          /No Docker daemon answers|exited with code|is not running/.test(c.summary),
      )
        ? dockerFailures(checks)
        : [],
    title: () => 'No Docker daemon answers, so every Docker check after it fails.',
    fix: () =>
      'Add a docker:dind service (privileged) to the job or the runner config, and give it time ' +
      'to start; read the service log for why it stopped.',
  },
]

/** A nameserver that answers no query explains every lookup through it, and the connections that needed those names. */
function deadNameservers(checks: CheckResult[]): ProbeCause[] {
  const servers = new Set<string>()
  for (const c of checks) {
    const named = /^Nameserver (\S+) does not answer/.exec(c.summary)?.[1]
    if (named) servers.add(named)
    const dropped = /^(?:Queries to (.+) are dropped|Nothing listens on port 53 at (.+)\.$)/
      .exec(c.cause ?? '')
      ?.slice(1)
      .find(Boolean)
    if (dropped && c.status === 'fail') for (const s of dropped.split(', ')) servers.add(s)
  }
  return [...servers].map((server) => {
    const explained = checks.filter(
      (c) =>
        needsAttention(c) &&
        ((c.id.startsWith('dns-') && text(c).includes(server)) || (c.id.startsWith('outbound-') && /does not resolve/.test(c.summary))),
    )
    return {
      id: `nameserver-dead-${server.replace(/[^0-9a-z]+/gi, '-')}`,
      status: worst(explained),
      title: `Nameserver ${server} does not answer, so every lookup through it fails or waits for the timeout.`,
      fix:
        `Check that the cluster DNS behind ${server} runs and that port 53 (UDP and TCP) to it is ` +
        `allowed from job pods, or remove it from dns_config.`,
      checks: explained.map((c) => c.id),
    }
  })
}

function ndotsCause(checks: CheckResult[]): ProbeCause[] {
  const expansion = checks.find((c) => c.id === 'dns-search-expansion' && needsAttention(c))
  if (!expansion) return []
  return [
    {
      id: 'ndots-expansion',
      status: expansion.status as 'fail' | 'warn',
      title: expansion.summary,
      fix: expansion.remediation ?? 'Lower ndots in dns_config.',
      checks: [expansion.id],
    },
  ]
}

function gitlabCause(checks: CheckResult[]): ProbeCause[] {
  const explained = checks.filter((c) => needsAttention(c) && (c.id === 'outbound-gitlab' || c.id === 'dns-gitlab-host'))
  if (!explained.some((c) => c.status === 'fail')) return []
  const first = explained.find((c) => c.status === 'fail')!
  return [
    {
      id: 'gitlab-unreachable',
      status: 'fail',
      title: `GitLab is unreachable from the job pod: ${first.summary}`,
      fix: first.remediation ?? 'Allow egress from job pods to GitLab.',
      checks: explained.map((c) => c.id),
    },
  ]
}

/** The causes behind the checks that need attention, most fundamental first; every such check is under one cause. */
export function findCauses(checks: CheckResult[]): ProbeCause[] {
  const causes: ProbeCause[] = []
  const claimed = new Set<CheckResult>()
  const claim = (cause: ProbeCause, explained: CheckResult[]): void => {
    const fresh = explained.filter((c) => !claimed.has(c))
    if (!fresh.length) return
    fresh.forEach((c) => claimed.add(c))
    causes.push({...cause, status: worst(fresh), checks: fresh.map((c) => c.id)})
  }
  for (const rule of RULES) {
    const explained = rule.explains(checks.filter((c) => !claimed.has(c)))
    if (explained.length)
      claim({id: rule.id, status: worst(explained), title: rule.title(explained), fix: rule.fix(explained), checks: []}, explained)
  }
  for (const cause of [...deadNameservers(checks), ...gitlabCause(checks), ...ndotsCause(checks)]) {
    claim(
      cause,
      checks.filter((c) => cause.checks.includes(c.id)),
    )
  }
  for (const c of checks.filter((c) => needsAttention(c) && !claimed.has(c))) {
    claim(
      {
        id: c.id,
        status: c.status as 'fail' | 'warn',
        title: c.summary,
        fix: c.remediation ?? 'See the evidence of this check.',
        checks: [],
      },
      [c],
    )
  }
  // Failures before warnings; within each, the order above (root causes first).
  return [...causes.filter((c) => c.status === 'fail'), ...causes.filter((c) => c.status === 'warn')]
}
