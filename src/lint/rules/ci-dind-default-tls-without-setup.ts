import {
  acrossRunners,
  buildVariable,
  type CiSetting,
  daemonCertDir,
  describeCertDir,
  type DindUse,
  isUnexpanded,
} from '../../model/executor/ci-dind.js'
import {dindClientCertDir, sharesDindClientCerts} from '../../model/executor/containers.js'
import {dindServesTls} from '../../model/executor/dind.js'
import {defineRule} from '../define-rule.js'

/**
 * The most common dind setup, `services: [docker:dind]` with no variables: the daemon turns TLS on by itself, and the
 * job has neither the address nor the certificates to reach it. A job that names DOCKER_HOST is left to
 * ci-dind-tls-without-cert-volume and ci-dind-tls-port-mismatch, which judge the address it names.
 */
export default defineRule({
  id: 'ci-dind-default-tls-without-setup',
  target: 'gitlab-ci',
  messages: {
    noSetup:
      '{{jobs}} {{image}} without DOCKER_HOST: the daemon serves TLS on 2376 (DOCKER_TLS_CERTDIR is {{certDir}}), ' +
      'but {{runners}} mounts no volume at {{clientDir}}, so the docker CLI has neither the address ' +
      'nor the client certificates and fails with "Cannot connect to the Docker daemon".',
  },
  check: ({target}) =>
    acrossRunners(
      target.data,
      target.runners,
      (use, runner) => {
        if (buildVariable(use, runner, 'DOCKER_HOST') !== undefined) return undefined
        const certDir = daemonCertDir(use, runner)
        if (isUnexpanded(certDir) || !dindServesTls(use.service.image, certDir.value)) return undefined
        // An include or a template from elsewhere may set the variables.
        if (use.incomplete) return undefined
        if (sharesDindClientCerts(runner.kubernetes, certDir.value)) return undefined
        return {pointer: certDir.pointer ?? use.service.pointer, certDir: {value: certDir.value, from: certDir.from}}
      },
      {needsRunner: true},
    )
      // Jobs that share one service definition (a template, `default:`) are one finding at that definition.
      .reduce<Place[]>(groupByPlace, [])
      .map(({pointer, names, image, certDir, runners}) => ({
        pointer,
        messageId: 'noSetup' as const,
        data: {
          jobs: describeJobs(names),
          image,
          certDir: describeCertDir(certDir, runners),
          runners,
          clientDir: dindClientCertDir(certDir.value),
        },
      })),
})

interface Place {
  pointer: string
  names: string[]
  image: string
  certDir: {value: string; from: CiSetting['from']}
  runners: string
}

function groupByPlace(
  places: Place[],
  {issue, use, runners}: {issue: {pointer: string; certDir: Place['certDir']}; use: DindUse; runners: string},
): Place[] {
  const same = places.find(
    (p) => p.pointer === issue.pointer && p.runners === runners && p.image === use.service.image && p.certDir.value === issue.certDir.value,
  )
  if (same) same.names.push(use.job.name)
  else places.push({pointer: issue.pointer, names: [use.job.name], image: use.service.image, certDir: issue.certDir, runners})
  return places
}

/** `Job build starts`, `Jobs a, b and c start`, `Jobs a, b, c and 7 more start`. */
function describeJobs(names: string[]): string {
  if (names.length === 1) return `Job ${names[0]} starts`
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names
  return `Jobs ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)} start`
}
