import type {CheckResult} from '../types.js'
import type {ProbeContext} from './context.js'
import {httpGet} from './net-client.js'
import {checkOutbound, outboundTargets, trustedCa} from './outbound.js'
import {resolveHost} from './resolve-host.js'
import {formatMs, simpleCheck} from './util.js'

/*
 * kaniko and buildah build images without a Docker daemon: what a job needs from its pod is the registry, reached
 * over TLS with the CA in use, answering the registry API (GET /v2/ is 200, or 401 asking for a token; distribution
 * spec "Determining support"). These checks replace the Docker ones for such runners.
 */

const REGISTRY_API_STATUSES = new Set([200, 401])

export async function runBuilderChecks(ctx: ProbeContext): Promise<CheckResult[]> {
  const startedAt = performance.now()
  const builder = ctx.options.builder!
  const registries = outboundTargets(ctx).filter((t) => t.id.startsWith('outbound-registry-'))
  if (registries.length === 0) {
    return [
      simpleCheck(
        `builder-${builder}-registry`,
        'skip',
        `${builder} pushes to a registry, but none was given (--registry or CI_REGISTRY); registry reachability not checked.`,
        [],
        startedAt,
      ),
    ]
  }
  return Promise.all(
    registries.map(async (target) => {
      const id = `builder-${builder}-${target.id.slice('outbound-'.length)}`
      const reach = await checkOutbound(ctx, {...target, id, label: `${builder} registry`})
      if (reach.status === 'fail' || !target.tls) return reach
      const resolved = await resolveHost(ctx, target.host)
      const answer = await httpGet({
        host: resolved.address,
        port: target.port,
        path: '/v2/',
        hostHeader: `${target.host}:${target.port}`,
        timeoutMs: ctx.options.timeoutMs,
        tls: {ca: trustedCa(ctx), rejectUnauthorized: true, servername: resolved.via === 'literal' ? undefined : target.host},
      })
      const evidence = [...reach.evidence, `GET /v2/: ${answer.status ?? answer.errorMessage ?? answer.error} in ${formatMs(answer.ms)}`]
      if (answer.status !== undefined && REGISTRY_API_STATUSES.has(answer.status)) {
        return {
          ...reach,
          evidence,
          status: reach.status,
          summary: `${builder} can reach the registry API at ${target.host}:${target.port} (GET /v2/ answers ${answer.status}).`,
          durationMs: Math.round(performance.now() - startedAt),
        }
      }
      return {
        ...reach,
        evidence,
        status: 'fail' as const,
        summary: `${target.host}:${target.port} answers TLS but not as a container registry (GET /v2/: ${answer.status ?? answer.error}).`,
        cause: 'The registry address points at another service, or a proxy answers in its place.',
        remediation: `Check the registry host and port that ${builder} pushes to (CI_REGISTRY, --destination).`,
        durationMs: Math.round(performance.now() - startedAt),
      }
    }),
  )
}
