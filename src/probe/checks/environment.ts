import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {isDockerHostValue, parseDockerHost} from '../../model/executor/docker-host.js'
import type {CheckResult} from '../types.js'
import type {ProbeContext} from './context.js'
import {finishCheck, type Observation, simpleCheck} from './util.js'

export interface InterfaceMtu {
  name: string
  mtu: number
}

export function readInterfaceMtus(netClassDir: string): InterfaceMtu[] {
  const result: InterfaceMtu[] = []
  for (const name of readdirSync(netClassDir).sort()) {
    try {
      const mtu = Number(readFileSync(join(netClassDir, name, 'mtu'), 'utf8').trim())
      if (Number.isFinite(mtu)) result.push({name, mtu})
    } catch {
      // Interfaces can vanish while listing; they are simply not reported.
    }
  }
  return result
}

/** The pod's MTU is eth0's when present, otherwise the first interface that is not loopback. */
export function podMtu(interfaces: InterfaceMtu[]): InterfaceMtu | undefined {
  return interfaces.find((i) => i.name === 'eth0') ?? interfaces.find((i) => i.name !== 'lo')
}

export function checkInterfaceMtu(ctx: ProbeContext): CheckResult {
  const startedAt = performance.now()
  let interfaces: InterfaceMtu[]
  try {
    interfaces = readInterfaceMtus(ctx.options.netClassDir)
  } catch (error) {
    return simpleCheck(
      'network-mtu',
      'skip',
      `Interface MTUs are not readable from ${ctx.options.netClassDir}.`,
      [String(error)],
      startedAt,
    )
  }
  const main = podMtu(interfaces)
  const evidence = interfaces.map((i) => `${i.name}: mtu ${i.mtu}`)
  if (!main) return simpleCheck('network-mtu', 'skip', 'No network interface besides loopback.', evidence, startedAt)
  return simpleCheck('network-mtu', 'pass', `Pod interface ${main.name} has MTU ${main.mtu}.`, evidence, startedAt)
}

export type LibcFlavour = {kind: 'glibc'; version: string} | {kind: 'musl'} | {kind: 'unknown'}

export function detectLibc(): LibcFlavour {
  if (process.platform !== 'linux') return {kind: 'unknown'}
  const header = (process.report?.getReport() as {header?: {glibcVersionRuntime?: string}} | undefined)?.header
  if (header?.glibcVersionRuntime) return {kind: 'glibc', version: header.glibcVersionRuntime}
  return {kind: 'musl'}
}

export function checkLibc(ctx: ProbeContext): CheckResult {
  const startedAt = performance.now()
  const libc = detectLibc()
  const options = ctx.resolv?.options ?? []
  const evidence = [
    `libc: ${libc.kind === 'glibc' ? `glibc ${libc.version}` : libc.kind}`,
    'Note: this is the libc of the image running the probe; the job image may differ.',
  ]
  const findings: Observation[] = []
  if (libc.kind === 'musl') {
    const ignored = options.filter((o) => ['single-request-reopen', 'single-request', 'use-vc'].includes(o))
    if (ignored.length > 0) {
      findings.push({
        status: 'warn',
        summary: `musl ignores resolv.conf option(s) ${ignored.join(', ')}, so they do not prevent the conntrack 5 s stalls here.`,
        cause: 'These options are glibc features; Alpine-based images use musl.',
        remediation: 'Use NodeLocal DNSCache, or a glibc-based image for jobs that suffer DNS stalls.',
      })
    }
    evidence.push(
      'musl sends A and AAAA in parallel, does not use search domains once ndots is met, and falls ' +
        'back to TCP only since 1.2.4 (Alpine 3.18).',
    )
  }
  return finishCheck(
    {
      id: 'libc',
      evidence,
      findings,
      passSummary:
        libc.kind === 'glibc'
          ? `glibc ${libc.version} resolver.`
          : libc.kind === 'musl'
            ? 'musl resolver (Alpine-like image).'
            : 'libc flavour unknown.',
    },
    startedAt,
  )
}

const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_TLS_CERTDIR', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS'] as const

/** The docker CLI speaks TLS when DOCKER_TLS_VERIFY or DOCKER_TLS is set to any non-empty value. */
export function dockerCliUsesTls(env: Record<string, string | undefined>): boolean {
  return Boolean(env.DOCKER_TLS_VERIFY) || Boolean(env.DOCKER_TLS)
}

export function checkDockerEnvironment(ctx: ProbeContext): CheckResult {
  const startedAt = performance.now()
  const env = ctx.env
  const evidence = DOCKER_VARIABLES.map((name) => `${name}=${env[name] === undefined ? '(unset)' : JSON.stringify(env[name])}`)
  const findings: Observation[] = []
  const host = env.DOCKER_HOST
  const address = host ? parseDockerHost(host) : undefined
  const port = address?.kind === 'tcp' ? address.port : undefined
  const tls = dockerCliUsesTls(env)
  if (host && !isDockerHostValue(host)) {
    findings.push({
      status: 'fail',
      summary: `DOCKER_HOST=${host} is not a URL the docker CLI accepts.`,
      cause: 'The scheme is misspelt or the address is malformed.',
      remediation: 'Set DOCKER_HOST to a URL such as tcp://docker:2376.',
    })
  }
  if (port === 2376 && !tls) {
    findings.push({
      status: 'fail',
      summary: 'DOCKER_HOST uses port 2376 (TLS) but DOCKER_TLS_VERIFY is not set, so the docker CLI sends plain HTTP to a TLS port.',
      cause: 'The TLS variables of the docker:dind setup are incomplete.',
      remediation: 'Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=/certs/client in the job variables.',
    })
  }
  if (port === 2375 && tls) {
    findings.push({
      status: 'fail',
      summary: 'DOCKER_HOST uses port 2375 (plain) but DOCKER_TLS_VERIFY is set, so the docker CLI speaks TLS to a plain port.',
      cause: 'TLS variables are left over from a TLS setup.',
      remediation: 'Unset DOCKER_TLS_VERIFY, or switch DOCKER_HOST to tcp://docker:2376.',
    })
  }
  if (port === 2375 && env.DOCKER_TLS_CERTDIR) {
    findings.push({
      status: 'fail',
      summary:
        `DOCKER_HOST uses port 2375 but DOCKER_TLS_CERTDIR=${env.DOCKER_TLS_CERTDIR} makes docker:dind ` + `listen with TLS on 2376 only.`,
      cause:
        'Job variables reach service containers, and dind enables TLS whenever DOCKER_TLS_CERTDIR ' +
        'is non-empty (its image default is /certs).',
      remediation:
        'Set DOCKER_TLS_CERTDIR to "" for a plain daemon on 2375, or use DOCKER_HOST=tcp://docker:2376 ' +
        'with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=/certs/client.',
    })
  }
  if (tls) {
    const certPath = env.DOCKER_CERT_PATH
    if (!certPath) {
      findings.push({
        status: 'warn',
        summary: 'DOCKER_TLS_VERIFY is set without DOCKER_CERT_PATH, so the docker CLI looks for certificates in ~/.docker.',
        cause: 'The kubernetes executor does not run the docker image entrypoint that would set it.',
        remediation: 'Set DOCKER_CERT_PATH=$DOCKER_TLS_CERTDIR/client in the job variables.',
      })
    } else {
      const missing = ['ca.pem', 'cert.pem', 'key.pem'].filter((f) => !existsSync(`${certPath}/${f}`))
      if (missing.length > 0) {
        findings.push({
          status: 'fail',
          summary: `DOCKER_CERT_PATH=${certPath} lacks ${missing.join(', ')}.`,
          cause:
            'The dind certificates are not shared with this container (no shared volume at /certs/client), ' +
            'or dind has not written them yet.',
          remediation:
            'Mount an empty_dir volume at /certs/client in the runner config ([[runners.kubernetes.volumes.empty_dir]] ' +
            'name = "docker-certs" mount_path = "/certs/client" medium = "Memory").',
        })
      }
    }
  }
  if (!host && DOCKER_VARIABLES.every((name) => env[name] === undefined)) {
    return finishCheck(
      {
        id: 'docker-env',
        evidence,
        findings: [],
        passSummary: 'No DOCKER_* variables are set; the docker CLI would use unix:///var/run/docker.sock.',
      },
      startedAt,
    )
  }
  return finishCheck(
    {id: 'docker-env', evidence, findings, passSummary: `DOCKER_* variables are consistent${host ? ` for ${host}` : ''}.`},
    startedAt,
  )
}
