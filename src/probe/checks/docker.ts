import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {type DockerHost, parseDockerHost} from '../../model/executor/docker-host.js'
import type {CheckResult} from '../types.js'
import type {DockerEndpoint, ProbeContext} from './context.js'
import {dockerCliUsesTls, podMtu, readInterfaceMtus} from './environment.js'
import {httpGet, type HttpOutcome, tcpConnect, type TlsMaterial} from './net-client.js'
import {resolveHost, type ResolvedHost} from './resolve-host.js'
import {type Observation, finishCheck, formatMs, idFragment, simpleCheck} from './util.js'

export interface DockerApi {
  version: string
  apiVersion: string
  os?: string
}

export type TlsProblem =
  | 'certs-missing'
  | 'client-cert-required'
  | 'client-cert-rejected'
  | 'server-untrusted'
  | 'hostname-mismatch'
  | 'cert-expired'
  | 'handshake-failed'

export interface EndpointObservation {
  endpoint: DockerEndpoint
  parsed?: DockerHost
  resolved?: ResolvedHost
  listening?: boolean
  connectError?: string
  /** What the port speaks: learnt from the answer to a plain request and from the TLS handshake. */
  protocol?: 'plain' | 'tls' | 'unknown'
  api?: DockerApi
  tlsProblem?: TlsProblem
  evidence: string[]
  durationMs: number
}

interface ClientCerts {
  dir: string
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  missing: string[]
}

export function readClientCerts(dir: string): ClientCerts {
  const read = (file: string): Buffer | undefined => {
    const path = join(dir, file)
    return existsSync(path) ? readFileSync(path) : undefined
  }
  const certs: ClientCerts = {dir, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), missing: []}
  certs.missing = (['ca.pem', 'cert.pem', 'key.pem'] as const).filter((_, i) => ![certs.ca, certs.cert, certs.key][i])
  return certs
}

function expectsTls(ctx: ProbeContext, endpoint: DockerEndpoint, parsed: DockerHost): boolean {
  if (endpoint.origin === 'DOCKER_HOST') return dockerCliUsesTls(ctx.env)
  return parsed.port === 2376
}

const HTTPS_ONLY = /HTTP request to an HTTPS server/i

function classifyTlsError(code: string | undefined, message: string | undefined): TlsProblem {
  const text = `${code ?? ''} ${message ?? ''}`
  if (/CERTIFICATE_REQUIRED|certificate required/i.test(text)) return 'client-cert-required'
  if (/ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|CERTIFICATE_UNKNOWN|ALERT_DECRYPT_ERROR|bad certificate|unknown ca/i.test(text))
    return 'client-cert-rejected'
  if (/ALTNAME|Hostname\/IP does not match/i.test(text)) return 'hostname-mismatch'
  if (/EXPIRED|NOT_YET_VALID/i.test(text)) return 'cert-expired'
  if (/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER|CERT_SIGNATURE_FAILURE|unable to verify/i.test(text)) return 'server-untrusted'
  return 'handshake-failed'
}

function apiFrom(ping: HttpOutcome, version: HttpOutcome): DockerApi {
  let parsed: {Version?: string; ApiVersion?: string; Os?: string} = {}
  try {
    parsed = JSON.parse(version.body ?? '{}') as typeof parsed
  } catch {
    // /version is optional for the verdict; /_ping already proved the daemon answers.
  }
  const header = ping.headers?.['api-version']
  return {
    version: parsed.Version ?? 'unknown',
    apiVersion: parsed.ApiVersion ?? (typeof header === 'string' ? header : 'unknown'),
    os: parsed.Os,
  }
}

async function observeEndpoint(
  ctx: ProbeContext,
  endpoint: DockerEndpoint,
  parsed: DockerHost,
  resolved: ResolvedHost,
  certs: ClientCerts,
): Promise<EndpointObservation> {
  const startedAt = performance.now()
  const evidence: string[] = []
  const observation: EndpointObservation = {endpoint, parsed, resolved, evidence, durationMs: 0}
  const timeoutMs = ctx.options.timeoutMs
  const finish = (): EndpointObservation => {
    observation.durationMs = performance.now() - startedAt
    return observation
  }
  const base = parsed.kind === 'unix' ? {socketPath: parsed.socketPath} : {host: resolved.address, port: parsed.port}
  if (parsed.kind === 'tcp') {
    const connect = await tcpConnect(resolved.address!, parsed.port, timeoutMs)
    evidence.push(
      connect.ok
        ? `TCP connect to ${resolved.address}:${parsed.port} in ${formatMs(connect.ms)}`
        : `TCP connect to ${resolved.address}:${parsed.port}: ${connect.error}`,
    )
    observation.listening = connect.ok
    observation.connectError = connect.error
    if (!connect.ok) return finish()
  } else if (!existsSync(parsed.socketPath!)) {
    observation.listening = false
    observation.connectError = 'ENOENT'
    evidence.push(`${parsed.socketPath}: no such socket`)
    return finish()
  }
  const hostHeader = parsed.kind === 'tcp' ? `${parsed.host}:${parsed.port}` : 'localhost'
  const plainPing = await httpGet({...base, path: '/_ping', hostHeader, timeoutMs})
  if (plainPing.status === 200) {
    observation.protocol = 'plain'
    const version = await httpGet({...base, path: '/version', hostHeader, timeoutMs})
    observation.api = apiFrom(plainPing, version)
    evidence.push(
      `plain GET /_ping: 200 in ${formatMs(plainPing.ms)}, API ${observation.api.apiVersion}, engine ${observation.api.version}`,
    )
    return finish()
  }
  if (plainPing.status !== undefined) {
    evidence.push(`plain GET /_ping: ${plainPing.status} ${(plainPing.body ?? '').trim().slice(0, 120)}`)
    if (!HTTPS_ONLY.test(plainPing.body ?? '')) {
      observation.protocol = 'unknown'
      return finish()
    }
  } else {
    evidence.push(`plain GET /_ping: ${plainPing.errorMessage ?? plainPing.error}`)
  }
  if (parsed.kind === 'unix') return finish()
  observation.protocol = HTTPS_ONLY.test(plainPing.body ?? '') ? 'tls' : 'unknown'
  const servername = parsed.host !== resolved.address ? parsed.host : undefined
  const haveCerts = certs.missing.length === 0
  const material: TlsMaterial = haveCerts
    ? {ca: certs.ca, cert: certs.cert, key: certs.key, rejectUnauthorized: true, servername}
    : {rejectUnauthorized: false, servername}
  const tlsPing = await httpGet({...base, path: '/_ping', hostHeader, timeoutMs, tls: material})
  if (tlsPing.status === 200) {
    observation.protocol = 'tls'
    const version = await httpGet({...base, path: '/version', hostHeader, timeoutMs, tls: material})
    observation.api = apiFrom(tlsPing, version)
    evidence.push(
      `${haveCerts ? `mutual TLS with ${certs.dir}` : 'TLS without client certificate'}: GET /_ping ` +
        `200 in ${formatMs(tlsPing.ms)}, API ${observation.api.apiVersion}, engine ${observation.api.version}`,
    )
    if (!haveCerts) observation.tlsProblem = 'certs-missing'
    return finish()
  }
  const handshake = haveCerts
    ? `mutual TLS with ${certs.dir}`
    : `TLS without client certificate (${certs.dir} lacks ${certs.missing.join(', ')})`
  evidence.push(`${handshake}: ${tlsPing.status ?? tlsPing.errorMessage ?? tlsPing.error}`)
  if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i.test(`${tlsPing.error} ${tlsPing.errorMessage}`)) {
    observation.protocol = observation.protocol === 'tls' ? 'tls' : 'unknown'
    return finish()
  }
  observation.protocol = 'tls'
  const problem = classifyTlsError(tlsPing.error, tlsPing.errorMessage)
  observation.tlsProblem =
    !haveCerts && (problem === 'client-cert-required' || problem === 'client-cert-rejected' || problem === 'handshake-failed')
      ? 'certs-missing'
      : problem
  return finish()
}

const TLS_VARIABLES_FIX =
  'Set DOCKER_HOST=tcp://docker:2376, DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=/certs/client, ' +
  'and share /certs/client between the build and dind containers with an empty_dir volume.'

function endpointCheck(ctx: ProbeContext, o: EndpointObservation, anotherAnswered: boolean): CheckResult {
  const startedAt = performance.now() - o.durationMs
  const label = o.parsed?.label ?? o.endpoint.url
  const where = o.parsed ? (o.parsed.kind === 'unix' ? 'unix-socket' : `${o.parsed.host}-${o.parsed.port}`) : o.endpoint.url
  const id = `docker-daemon-${idFragment(where)}`
  const origin = o.endpoint.origin
  const from =
    origin === 'default' || origin === 'counterpart' ? 'the usual dind ports' : origin === 'DOCKER_HOST' ? 'DOCKER_HOST' : '--docker-host'
  const evidence = [`endpoint: ${o.endpoint.url} (from ${from})`]
  if (o.resolved?.address) evidence.push(`address: ${o.resolved.address} via ${o.resolved.via}`)
  evidence.push(...o.evidence)
  const wanted = o.endpoint.origin === 'requested' || o.endpoint.origin === 'DOCKER_HOST'
  const findings: Observation[] = []
  const silent = (summary: string, cause: string, remediation: string): void => {
    if (wanted) findings.push({status: 'fail', summary, cause, remediation})
    else
      findings.push({
        status: 'skip',
        summary: `${summary.replace(/\.$/, '')}; not in use${anotherAnswered ? ', another endpoint answers' : ''}.`,
      })
  }
  if (!o.parsed) {
    findings.push({
      status: 'fail',
      summary: `${o.endpoint.url} is not a tcp:// or unix:// Docker endpoint.`,
      cause: 'A malformed DOCKER_HOST or --docker-host.',
      remediation: 'Use a URL such as tcp://docker:2376.',
    })
  } else if (o.resolved?.error) {
    silent(
      `${o.parsed.host} does not resolve (${o.resolved.error}).`,
      o.parsed.host === 'docker'
        ? 'The docker:dind service has no "docker" alias in /etc/hosts.'
        : 'The host name is unknown to the hosts file and DNS.',
      o.parsed.host === 'docker'
        ? 'Add `alias: docker` to the dind service, or use tcp://localhost:2376.'
        : 'Use a resolvable name or an address.',
    )
  } else if (o.listening === false) {
    const refused = o.connectError === 'ECONNREFUSED' || o.connectError === 'ENOENT'
    silent(
      refused ? `Nothing listens on ${label} (${o.connectError}).` : `${label} does not accept connections (${o.connectError}).`,
      refused
        ? o.parsed.port === 2375
          ? 'The dind service is not running, not ready yet, or listens with TLS on 2376 because DOCKER_TLS_CERTDIR ' +
            'is set (the docker:dind default).'
          : o.parsed.port === 2376
            ? 'The dind service is not running or not ready yet, or it runs without TLS on 2375 (DOCKER_TLS_CERTDIR="").'
            : 'No daemon runs on this port: the service is down, not ready yet, or listens on another port.'
        : 'Packets to the port are dropped (firewall or a wrong address).',
      o.parsed.port === 2375
        ? 'Add a docker:dind service to the job; for plain 2375 set DOCKER_TLS_CERTDIR to "" on it, ' +
            'or switch the client to tcp://docker:2376 with TLS.'
        : 'Add a privileged docker:dind service to the job (privileged = true in the runner config) and give it time to start.',
    )
  } else if (o.api && !o.tlsProblem) {
    const tlsExpected = expectsTls(ctx, o.endpoint, o.parsed)
    if (o.protocol === 'plain' && tlsExpected) {
      findings.push({
        status: wanted ? 'fail' : 'warn',
        summary: `${label} answers plain HTTP on a port the client treats as TLS.`,
        cause: 'The daemon runs without TLS (DOCKER_TLS_CERTDIR="") but the client is set up for TLS on this port.',
        remediation: 'Use tcp://docker:2375 without DOCKER_TLS_VERIFY, or enable TLS on dind (DOCKER_TLS_CERTDIR=/certs).',
      })
    } else {
      findings.push({
        status: 'pass',
        summary:
          `Docker ${o.api.version} answers on ${label} over ${o.protocol === 'tls' ? 'mutual TLS' : 'plain HTTP'} ` +
          `(API ${o.api.apiVersion}).`,
      })
    }
  } else if (o.api && o.tlsProblem === 'certs-missing') {
    findings.push({
      status: 'warn',
      summary: `${label} accepts TLS without a client certificate, so any process in the pod can drive it.`,
      cause: 'The daemon runs with --tls but not --tlsverify.',
      remediation: 'Run dind with --tlsverify (the docker:dind default with DOCKER_TLS_CERTDIR=/certs).',
    })
  } else if (o.protocol === 'tls') {
    const problem = o.tlsProblem ?? 'handshake-failed'
    const messages: Record<TlsProblem, Omit<Observation, 'status'>> = {
      'certs-missing': {
        summary: `${label} speaks TLS and requires client certificates, but ${ctx.options.certDir} has none.`,
        cause:
          'The dind certificates are not shared with this container: no empty_dir volume at /certs/client, ' +
          'or DOCKER_CERT_PATH points elsewhere.',
        remediation:
          'Mount an empty_dir volume at /certs/client in the runner config ([[runners.kubernetes.volumes.empty_dir]] ' +
          'name = "docker-certs" mount_path = "/certs/client" medium = "Memory") and set DOCKER_CERT_PATH=/certs/client.',
      },
      'client-cert-required': {
        summary: `${label} requires a client certificate and none was accepted.`,
        cause: 'The daemon runs with --tlsverify.',
        remediation: TLS_VARIABLES_FIX,
      },
      'client-cert-rejected': {
        summary: `${label} rejects the client certificate from ${ctx.options.certDir}.`,
        cause: 'The certificates are from another dind instance (a stale volume) or signed by another CA.',
        remediation: 'Use a fresh empty_dir for /certs/client so the client gets the certificates this dind just generated.',
      },
      'server-untrusted': {
        summary: `The certificate of ${label} is not signed by ${ctx.options.certDir}/ca.pem.`,
        cause: 'The CA in the client directory belongs to another dind instance.',
        remediation: 'Share the same /certs/client volume between dind and the build container.',
      },
      'hostname-mismatch': {
        summary: `The certificate of ${label} does not name ${o.parsed.host}.`,
        cause: 'dind puts docker, localhost and the pod addresses in its certificate; other names fail verification.',
        remediation: 'Connect to tcp://docker:2376 or tcp://localhost:2376.',
      },
      'cert-expired': {
        summary: `A certificate for ${label} is expired or not yet valid.`,
        cause: 'Stale certificates or clock skew.',
        remediation: 'Regenerate the dind certificates with a fresh /certs volume and check the node clock.',
      },
      'handshake-failed': {
        summary: `The TLS handshake with ${label} fails.`,
        cause: 'See the evidence for the TLS error.',
        remediation: TLS_VARIABLES_FIX,
      },
    }
    const base = messages[problem]
    const tlsOnPlainClient = !expectsTls(ctx, o.endpoint, o.parsed)
    if (tlsOnPlainClient && problem === 'certs-missing' && o.evidence.some((e) => HTTPS_ONLY.test(e))) {
      silent(
        `${label} speaks TLS, but the client sends plain HTTP ("Client sent an HTTP request to an HTTPS server").`,
        'dind runs with TLS (DOCKER_TLS_CERTDIR is set, /certs is the docker:dind default) while the client uses plain HTTP.',
        `${TLS_VARIABLES_FIX} Or set DOCKER_TLS_CERTDIR to "" on the dind service for plain HTTP on 2375.`,
      )
    } else {
      findings.push({status: wanted || anotherAnswered === false ? 'fail' : 'warn', ...base})
    }
  } else {
    silent(
      `${label} accepts connections but does not answer like a Docker daemon.`,
      'Another program listens on the port.',
      'Point the client at the dind service port (2375 plain or 2376 TLS).',
    )
  }
  return finishCheck({id, evidence, findings, passSummary: `${label} answers.`}, startedAt)
}

async function waitForAnyListener(ctx: ProbeContext, targets: Array<{address: string; port: number}>): Promise<number | undefined> {
  const startedAt = performance.now()
  if (targets.length === 0) return undefined
  const deadline = startedAt + ctx.options.dindWaitMs
  let announced = false
  for (;;) {
    const outcomes = await Promise.all(targets.map((t) => tcpConnect(t.address, t.port, Math.min(ctx.options.timeoutMs, 1000))))
    if (outcomes.some((o) => o.ok)) return performance.now() - startedAt
    if (performance.now() >= deadline) return undefined
    if (!announced) {
      ctx.progress(
        `Waiting up to ${formatMs(ctx.options.dindWaitMs)} for a Docker ` +
          `daemon on ${targets.map((t) => `${t.address}:${t.port}`).join(', ')}.`,
      )
      announced = true
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - performance.now()))))
  }
}

export interface DockerChecksOutcome {
  checks: CheckResult[]
  /** Time until the first daemon accepted connections, when one did. */
  readyMs?: number
}

export async function runDockerChecks(ctx: ProbeContext): Promise<DockerChecksOutcome> {
  const startedAt = performance.now()
  const certs = readClientCerts(ctx.options.certDir)
  const endpoints = await Promise.all(
    ctx.options.dockerHosts.map(async (endpoint) => {
      const parsed = parseDockerHost(endpoint.url)
      const resolved =
        parsed?.kind === 'tcp' ? await resolveHost(ctx, parsed.host) : parsed ? {address: undefined, via: 'unix socket'} : undefined
      return {endpoint, parsed, resolved}
    }),
  )
  const reachable = endpoints.filter((e) => e.parsed?.kind === 'tcp' && e.resolved?.address)
  const readyMs = await waitForAnyListener(
    ctx,
    reachable.map((e) => ({address: e.resolved!.address!, port: e.parsed!.port})),
  )
  const observations = await Promise.all(
    endpoints.map(async ({endpoint, parsed, resolved}): Promise<EndpointObservation> => {
      if (!parsed || !resolved || resolved.error) return {endpoint, parsed, resolved, evidence: [], durationMs: 0}
      return observeEndpoint(ctx, endpoint, parsed, resolved, certs)
    }),
  )
  const working = observations.filter((o) => o.api && !o.tlsProblem)
  const checks = observations.map((o) =>
    endpointCheck(
      ctx,
      o,
      working.some((w) => w !== o),
    ),
  )
  if (readyMs !== undefined) {
    const first = checks.find((c) => c.status === 'pass')
    first?.evidence.push(`first daemon port accepted connections after ${formatMs(readyMs)}`)
  }
  checks.push(daemonVerdict(ctx, observations, startedAt))
  checks.push(await dockerMtuCheck(ctx, working[0], certs))
  checks.push(await dockerStorageCheck(ctx, working[0], certs))
  if (working[0] && ctx.options.deepRun) checks.push(await dockerRunCheck(ctx, working[0], certs, ctx.options.deepRun))
  if (working[0])
    checks.push(...(await Promise.all(ctx.options.registries.map((registry) => daemonRegistryCheck(ctx, working[0]!, certs, registry)))))
  return {checks, readyMs}
}

function daemonVerdict(ctx: ProbeContext, observations: EndpointObservation[], startedAt: number): CheckResult {
  const working = observations.filter((o) => o.api && !o.tlsProblem)
  const dockerHost = observations.find((o) => o.endpoint.origin === 'DOCKER_HOST')
  const state = (o: EndpointObservation) => {
    if (o.api) return `Docker ${o.api.version} (API ${o.api.apiVersion}) over ${o.protocol}`
    if (o.listening === false) return `not listening (${o.connectError})`
    if (o.resolved?.error) return `unresolved (${o.resolved.error})`
    return o.tlsProblem ?? o.protocol ?? 'no answer'
  }
  const evidence = observations.map((o) => `${o.parsed?.label ?? o.endpoint.url}: ${state(o)}`)
  if (working.length === 0) {
    const tlsBlocked = observations.find((o) => o.protocol === 'tls')
    return finishCheck(
      {
        id: 'docker-daemon',
        evidence,
        passSummary: '',
        findings: [
          {
            status: 'fail',
            summary: tlsBlocked
              ? `A Docker daemon listens with TLS on ${tlsBlocked.parsed?.label}, but no client setup here can use it.`
              : `No Docker daemon answers on ${observations.map((o) => o.parsed?.label ?? o.endpoint.url).join(', ')}` +
                `${ctx.options.dindWaitMs > 0 ? ` after waiting ${formatMs(ctx.options.dindWaitMs)}` : ''}.`,
            cause: tlsBlocked
              ? 'TLS client certificates are missing or do not match (see the endpoint checks).'
              : 'No docker:dind service in the job, the service crashed (it must run privileged), or it needs longer to start.',
            remediation: tlsBlocked
              ? TLS_VARIABLES_FIX
              : 'Add a docker:dind service to the job, set privileged = true in [runners.kubernetes], and check the service logs.',
          },
        ],
      },
      startedAt,
    )
  }
  const best = working[0]
  if (dockerHost && !(dockerHost.api && !dockerHost.tlsProblem)) {
    return finishCheck(
      {
        id: 'docker-daemon',
        evidence,
        passSummary: '',
        findings: [
          {
            status: 'fail',
            summary:
              `DOCKER_HOST=${dockerHost.endpoint.url} does not work, but a daemon answers on ${best.parsed?.label} ` +
              `over ${best.protocol === 'tls' ? 'TLS' : 'plain HTTP'}.`,
            cause:
              best.protocol === 'tls'
                ? 'dind runs with TLS on 2376 (DOCKER_TLS_CERTDIR is set) while DOCKER_HOST points elsewhere.'
                : 'dind runs without TLS on 2375 while DOCKER_HOST points elsewhere.',
            remediation:
              best.protocol === 'tls'
                ? TLS_VARIABLES_FIX
                : `Set DOCKER_HOST=${best.parsed?.label.replace('localhost', 'docker')} and unset DOCKER_TLS_VERIFY.`,
          },
        ],
      },
      startedAt,
    )
  }
  if (!dockerHost && best.endpoint.origin !== 'requested' && best.parsed?.kind === 'tcp' && !existsSync('/var/run/docker.sock')) {
    return finishCheck(
      {
        id: 'docker-daemon',
        evidence,
        passSummary: '',
        findings: [
          {
            status: 'warn',
            summary:
              `Docker answers on ${best.parsed.label}, but DOCKER_HOST is not set, so the docker CLI tries ` +
              `unix:///var/run/docker.sock.`,
            cause: 'The kubernetes executor does not run the docker image entrypoint that guesses DOCKER_HOST.',
            remediation: best.protocol === 'tls' ? TLS_VARIABLES_FIX : `Set DOCKER_HOST=${best.parsed.label} in the job variables.`,
          },
        ],
      },
      startedAt,
    )
  }
  return finishCheck(
    {
      id: 'docker-daemon',
      evidence,
      findings: [],
      passSummary: `Docker ${best.api!.version} (API ${best.api!.apiVersion}) answers on ${(dockerHost ?? best).parsed?.label}.`,
    },
    startedAt,
  )
}

/** A GET to the daemon that answered, over the protocol it answered on. */
function daemonGet(
  ctx: ProbeContext,
  working: EndpointObservation,
  certs: ClientCerts,
  path: string,
  request: {method?: string; body?: unknown; timeoutMs?: number} = {},
): Promise<HttpOutcome> {
  const parsed = working.parsed!
  const tls =
    working.protocol === 'tls'
      ? {
          ca: certs.ca,
          cert: certs.cert,
          key: certs.key,
          rejectUnauthorized: true,
          servername: parsed.host !== working.resolved?.address ? parsed.host : undefined,
        }
      : undefined
  const base = parsed.kind === 'unix' ? {socketPath: parsed.socketPath} : {host: working.resolved?.address, port: parsed.port}
  return httpGet({
    ...base,
    path,
    hostHeader: `${parsed.host}:${parsed.port}`,
    timeoutMs: request.timeoutMs ?? ctx.options.timeoutMs,
    tls,
    ...(request.method ? {method: request.method} : {}),
    ...(request.body !== undefined ? {body: JSON.stringify(request.body)} : {}),
  })
}

/** The `mtu` a daemon.json mounted in the job pod sets for dind, when one is there (a config_map or host_path volume). */
export function daemonJsonMtu(path: string): {mtu?: number; note: string} {
  if (!existsSync(path)) return {note: `${path}: not mounted`}
  try {
    const mtu = (JSON.parse(readFileSync(path, 'utf8')) as {mtu?: unknown}).mtu
    return typeof mtu === 'number' ? {mtu, note: `${path}: mtu ${mtu}`} : {note: `${path}: no mtu`}
  } catch (error) {
    return {note: `${path}: not JSON (${(error as Error).message.split('\n')[0]})`}
  }
}

async function dockerMtuCheck(ctx: ProbeContext, working: EndpointObservation | undefined, certs: ClientCerts): Promise<CheckResult> {
  const startedAt = performance.now()
  if (!working?.parsed) return simpleCheck('docker-mtu', 'skip', 'No working Docker daemon to compare the MTU with.', [], startedAt)
  const answer = await daemonGet(ctx, working, certs, '/networks/bridge')
  let pod
  try {
    pod = podMtu(readInterfaceMtus(ctx.options.netClassDir))
  } catch {
    pod = undefined
  }
  const daemonJson = daemonJsonMtu(ctx.options.daemonJson)
  const evidence = [
    `pod: ${pod ? `${pod.name} mtu ${pod.mtu}` : 'unknown'}`,
    `GET /networks/bridge: ${answer.status ?? answer.error}`,
    `daemon.json ${daemonJson.note}`,
  ]
  if (answer.status !== 200) {
    // No default bridge to ask: the mounted daemon.json is what dind starts its bridge with.
    if (daemonJson.mtu !== undefined) return compareMtu(daemonJson.mtu, pod?.mtu, evidence, startedAt)
    return simpleCheck(
      'docker-mtu',
      'skip',
      'The daemon has no default bridge network, so its MTU cannot be compared.',
      evidence,
      startedAt,
    )
  }
  let dindMtu = daemonJson.mtu ?? 1500
  try {
    const options = (JSON.parse(answer.body ?? '{}') as {Options?: Record<string, string>}).Options ?? {}
    if (options['com.docker.network.driver.mtu']) dindMtu = Number(options['com.docker.network.driver.mtu'])
  } catch {
    evidence.push('bridge network answer is not JSON; assuming the default MTU 1500')
  }
  evidence.push(`dind bridge mtu: ${dindMtu}`)
  return compareMtu(dindMtu, pod?.mtu, evidence, startedAt)
}

/**
 * Whether the daemon itself reaches a registry, with the CA it trusts (its certs.d), not the pod's: GET
 * /distribution/<ref>/json makes dockerd ask the registry for a manifest. An authentication or not-found answer
 * means the registry was reached; a TLS or network error is what `docker pull` and `docker push` in the job would hit.
 */
async function daemonRegistryCheck(
  ctx: ProbeContext,
  working: EndpointObservation,
  certs: ClientCerts,
  registry: string,
): Promise<CheckResult> {
  const startedAt = performance.now()
  const host = registry.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')
  const id = `docker-registry-${idFragment(host)}`
  const answer = await daemonGet(ctx, working, certs, `/distribution/${host}/runner-doctor/probe:latest/json`)
  const message = (() => {
    try {
      return (JSON.parse(answer.body ?? '{}') as {message?: string}).message ?? ''
    } catch {
      return answer.body ?? ''
    }
  })()
  const evidence = [
    `GET /distribution/${host}/runner-doctor/probe:latest/json: ${answer.status ?? answer.error}` +
      (message ? ` ${message.slice(0, 300)}` : ''),
  ]
  // Any answer of the registry's own (a credentials challenge, Basic or Bearer, or an unknown image) proves the path works.
  if (
    answer.status === 200 ||
    /unauthorized|authentication required|no basic auth credentials|denied|manifest unknown|not found|does not exist/i.test(message)
  ) {
    return simpleCheck(
      id,
      'pass',
      `The Docker daemon reaches the registry ${host} (it ` +
        `answered${answer.status === 200 ? '' : `: ${message.split(':').at(-1)!.trim()}`}).`,
      evidence,
      startedAt,
    )
  }
  if (/x509|certificate|tls:/i.test(message)) {
    return simpleCheck(
      id,
      'fail',
      `The Docker daemon does not trust the certificate of ${host}: docker pull and push in jobs fail.`,
      evidence,
      startedAt,
      {
        cause:
          'The registry uses a private CA that dind does not know (dind reads /etc/docker/certs.d/<host>/ca.crt, ' +
          "not the runner's tls-ca-file).",
        remediation:
          `Mount the CA into the dind service at /etc/docker/certs.d/${host}/ca.crt (a config_map or ` +
          `secret volume), or start dind with --insecure-registry=${host} for a test registry.`,
      },
    )
  }
  return simpleCheck(
    id,
    'fail',
    `The Docker daemon cannot reach the registry ${host}${message ? `: ${message.split(': ').slice(-2).join(': ')}` : ''}.`,
    evidence,
    startedAt,
    {
      cause:
        "The daemon's own network path to the registry fails: DNS inside dind, egress from the pod, or a proxy the daemon does not know.",
      remediation:
        'Check that dind resolves and reaches the registry (HTTP_PROXY/HTTPS_PROXY/NO_PROXY on the dind service when a proxy is required).',
    },
  )
}

/** Pulls and container runs take longer than one request; this bounds each of those steps. */
const DEEP_STEP_MS = 120_000

const apiMessage = (outcome: HttpOutcome): string => {
  try {
    return (JSON.parse(outcome.body ?? '{}') as {message?: string}).message ?? outcome.body ?? ''
  } catch {
    return outcome.body ?? outcome.errorMessage ?? outcome.error ?? ''
  }
}

/**
 * `--deep`: what `docker run` does, through the API: pull the image unless the daemon has it, create a container
 * without network, start it, wait for its exit, remove it. Proves storage driver, runtime and cgroups work, not only
 * that the API answers.
 */
async function dockerRunCheck(
  ctx: ProbeContext,
  working: EndpointObservation,
  certs: ClientCerts,
  run: {image: string; command?: string[]},
): Promise<CheckResult> {
  const startedAt = performance.now()
  const evidence: string[] = []
  const fail = (summary: string, cause: string, remediation: string) =>
    simpleCheck('docker-run', 'fail', summary, evidence, startedAt, {cause, remediation})
  const image = run.image
  const present = await daemonGet(ctx, working, certs, `/images/${encodeURIComponent(image)}/json`)
  evidence.push(`image ${image}: ${present.status === 200 ? 'present' : 'not present, pulling'}`)
  if (present.status !== 200) {
    const pull = await daemonGet(ctx, working, certs, `/images/create?fromImage=${encodeURIComponent(image)}`, {
      method: 'POST',
      timeoutMs: DEEP_STEP_MS,
    })
    const streamError = (pull.body ?? '')
      .split('\n')
      .map((line) => {
        try {
          return (JSON.parse(line) as {error?: string}).error
        } catch {
          return undefined
        }
      })
      .find(Boolean)
    evidence.push(`POST /images/create: ${pull.status ?? pull.error}${streamError ? ` ${streamError}` : ''}`)
    if (pull.status !== 200 || streamError)
      return fail(
        `The Docker daemon cannot pull ${image}: ${streamError ?? apiMessage(pull)}.`,
        'The daemon cannot reach the registry, or the image does not exist there.',
        'Check the registry checks above, or pass --deep-image with an image the cluster can pull.',
      )
  }
  const created = await daemonGet(ctx, working, certs, '/containers/create', {
    method: 'POST',
    body: {
      Image: image,
      ...(run.command ? {Cmd: run.command} : {}),
      HostConfig: {NetworkMode: 'none'},
      Labels: {'runner-doctor/probe': 'true'},
    },
  })
  const id = (() => {
    try {
      return (JSON.parse(created.body ?? '{}') as {Id?: string}).Id
    } catch {
      return undefined
    }
  })()
  evidence.push(`POST /containers/create: ${created.status ?? created.error}${id ? ` ${id.slice(0, 12)}` : ` ${apiMessage(created)}`}`)
  if (!id)
    return fail(
      `The Docker daemon cannot create a container from ${image}: ${apiMessage(created)}.`,
      'The storage driver or the daemon configuration refuses new containers.',
      'Read the dind log; check docker-storage above.',
    )
  try {
    const started = await daemonGet(ctx, working, certs, `/containers/${id}/start`, {method: 'POST'})
    evidence.push(`POST /containers/${id.slice(0, 12)}/start: ${started.status ?? started.error}`)
    if (started.status !== 204)
      return fail(
        `A container from ${image} does not start: ${apiMessage(started)}.`,
        'The runtime cannot start containers in this dind (cgroups, seccomp or a missing privilege).',
        'Run dind privileged, and read its log for the runtime error.',
      )
    const waited = await daemonGet(ctx, working, certs, `/containers/${id}/wait`, {method: 'POST', timeoutMs: DEEP_STEP_MS})
    const exit = (() => {
      try {
        return (JSON.parse(waited.body ?? '{}') as {StatusCode?: number}).StatusCode
      } catch {
        return undefined
      }
    })()
    evidence.push(`POST /containers/${id.slice(0, 12)}/wait: exit code ${exit ?? waited.error}`)
    if (exit !== 0)
      return fail(
        `A container from ${image} exited with code ${exit ?? 'unknown'}.`,
        'The container could run but failed.',
        'Run the image by hand in the job to see its output.',
      )
    return simpleCheck(
      'docker-run',
      'pass',
      `The Docker daemon pulled, created, started and removed a container from ${image} (exit 0) ` +
        `in ${formatMs(performance.now() - startedAt)}.`,
      evidence,
      startedAt,
    )
  } finally {
    await daemonGet(ctx, working, certs, `/containers/${id}?force=true`, {method: 'DELETE'})
  }
}

interface DockerInfo {
  Driver?: string
  DriverStatus?: Array<[string, string]>
  DockerRootDir?: string
}

/**
 * The daemon's storage: vfs copies every layer in full (dind falls back to it when overlay2 cannot stack on the node's
 * filesystem), so builds are slow and fill the disk; the backing filesystem says why overlay2 is not used.
 */
async function dockerStorageCheck(ctx: ProbeContext, working: EndpointObservation | undefined, certs: ClientCerts): Promise<CheckResult> {
  const startedAt = performance.now()
  if (!working?.parsed)
    return simpleCheck('docker-storage', 'skip', 'No working Docker daemon to ask for its storage driver.', [], startedAt)
  const answer = await daemonGet(ctx, working, certs, '/info')
  if (answer.status !== 200)
    return simpleCheck('docker-storage', 'skip', `GET /info did not answer (${answer.status ?? answer.error}).`, [], startedAt)
  let info: DockerInfo
  try {
    info = JSON.parse(answer.body ?? '{}') as DockerInfo
  } catch {
    return simpleCheck('docker-storage', 'skip', 'GET /info did not answer JSON.', [], startedAt)
  }
  const status = new Map(info.DriverStatus ?? [])
  const backing = status.get('Backing Filesystem')
  const evidence = [
    `storage driver: ${info.Driver ?? 'unknown'}`,
    `Docker root: ${info.DockerRootDir ?? 'unknown'}${backing ? ` on ${backing}` : ''}`,
  ]
  if (info.Driver === 'vfs') {
    return simpleCheck(
      'docker-storage',
      'warn',
      `The Docker daemon stores images with vfs under ${info.DockerRootDir ?? 'its root'}: every ` +
        `layer is a full copy, so builds are slow and fill the node's disk.`,
      evidence,
      startedAt,
      {
        cause:
          'overlay2 is not usable where dind keeps /var/lib/docker (an overlay filesystem cannot hold ' +
          'another overlay), so dockerd fell back to vfs.',
        remediation:
          'Mount an empty_dir volume at /var/lib/docker in the dind service ([[runners.kubernetes.volumes.empty_dir]] ' +
          'mount_path = "/var/lib/docker"), so overlay2 sits on the node filesystem.',
      },
    )
  }
  if (backing && /overlay/i.test(backing)) {
    return simpleCheck(
      'docker-storage',
      'warn',
      `Docker's root ${info.DockerRootDir ?? ''} sits on an overlay filesystem; overlay2 on overlay fails or is slow.`,
      evidence,
      startedAt,
      {
        cause: 'dind keeps /var/lib/docker in the container filesystem.',
        remediation: 'Mount an empty_dir volume at /var/lib/docker in the dind service.',
      },
    )
  }
  return simpleCheck(
    'docker-storage',
    'pass',
    `Docker uses ${info.Driver ?? 'an unknown driver'}${backing ? ` on ${backing}` : ''} under ${info.DockerRootDir ?? 'its root'}.`,
    evidence,
    startedAt,
  )
}

export function compareMtu(
  dindMtu: number,
  podMtuValue: number | undefined,
  evidence: string[],
  startedAt = performance.now(),
): CheckResult {
  if (podMtuValue === undefined)
    return simpleCheck('docker-mtu', 'skip', `dind uses MTU ${dindMtu}; the pod MTU is unknown.`, evidence, startedAt)
  if (dindMtu > podMtuValue) {
    return simpleCheck(
      'docker-mtu',
      'warn',
      `dind's bridge MTU ${dindMtu} is larger than the pod's ${podMtuValue}; large packets from ` +
        `containers get dropped (TLS handshakes and pulls hang).`,
      evidence,
      startedAt,
      {
        cause: 'dind defaults to MTU 1500 while the pod network (an overlay) has a smaller MTU.',
        remediation: `Start dind with --mtu=${podMtuValue} (service command: ["--mtu=${podMtuValue}"]).`,
      },
    )
  }
  return simpleCheck('docker-mtu', 'pass', `dind's MTU ${dindMtu} fits the pod's ${podMtuValue}.`, evidence, startedAt)
}
