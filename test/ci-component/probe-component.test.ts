// End to end: a consumer includes the probe component; gitlab-ci-local runs its job with the shell
// executor and the checked-out CLI against a real dockerd (plain, then TLS like docker:dind) and a real
// dnsmasq, all on loopback. No image can be pulled here, so the consumer replaces the dind service with
// the test's dockerd, the way a pipeline may override an included job's keys.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {createServer, type Server} from 'node:https'
import {join} from 'node:path'
import {type Dnsmasq, startDnsmasq} from '../support/dnsmasq.js'
import {type Dockerd, generateDockerTls, startDockerd, type TlsFiles} from '../support/dockerd.js'
import {checkedOutCli, gitlabCiLocal, jobOutcome, makeConsumerRepo, repoRoot} from './component.js'
import type {ProbeReport} from '../../src/probe/types.js'

const junitSchema = join(repoRoot, 'test/fixtures/formatters/junit.xsd')
let dnsmasq: Dnsmasq
let plainDockerd: Dockerd
let tlsDockerd: Dockerd
let tlsFiles: TlsFiles
/**
 * Stands in for the GitLab instance and its registry: HTTPS on 127.0.0.1 signed by the test CA, answering every
 * request as GitLab's registry answers an anonymous client (401, authentication required), so the daemon-side
 * registry check meets a registry and not a socket that closes.
 */
let gitlab: Server
let gitlabPort: number
let workDir: string
let jobEnv: NodeJS.ProcessEnv
const consumerDirs: string[] = []

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'rd-probe-component-'))
  jobEnv = checkedOutCli(workDir)
  tlsFiles = generateDockerTls(join(workDir, 'certs'))
  gitlab = createServer({cert: readFileSync(tlsFiles.serverCert), key: readFileSync(tlsFiles.serverKey)}, (_request, response) => {
    response.writeHead(401, {
      'Content-Type': 'application/json',
      'Docker-Distribution-Api-Version': 'registry/2.0',
      'WWW-Authenticate': 'Basic realm="runner-doctor test registry"',
    })
    response.end(JSON.stringify({errors: [{code: 'UNAUTHORIZED', message: 'authentication required'}]}))
  })
  gitlabPort = await new Promise<number>((resolve) =>
    gitlab.listen(0, '127.0.0.1', () => resolve((gitlab.address() as {port: number}).port)),
  )
  ;[dnsmasq, plainDockerd, tlsDockerd] = await Promise.all([
    startDnsmasq({
      records: {'kubernetes.default.svc.cluster.local': '127.0.0.1', 'mirror.rd.test': '127.0.0.1'},
      localDomains: ['cluster.local', 'rd.test'],
    }),
    startDockerd(),
    startDockerd({tls: tlsFiles}),
  ])
}, 150_000)

afterAll(async () => {
  await Promise.all([
    dnsmasq?.stop(),
    plainDockerd?.stop(),
    tlsDockerd?.stop(),
    new Promise((resolve) => (gitlab ? gitlab.close(resolve) : resolve(undefined))),
  ])
  for (const dir of [workDir, ...consumerDirs]) if (dir) rmSync(dir, {recursive: true, force: true})
}, 60_000)

/**
 * The pod's files as a job pod sees them: the cluster nameserver (dnsmasq here) and the service alias
 * `docker` the runner writes into /etc/hosts.
 */
function podFiles(): Record<string, string> {
  return {
    'pod/resolv.conf': `nameserver ${dnsmasq.address}\nsearch ci.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:2\n`,
    'pod/hosts': '127.0.0.1 localhost\n127.0.0.1 docker\n',
  }
}

function pipeline(inputs: string, dindWait: number): string {
  const probeOptions = `--resolv-conf pod/resolv.conf --hosts-file pod/hosts --tls-ca-file ${tlsFiles.serverCa} --timeout 2s`
  return `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/probe@$CI_COMMIT_SHA
    inputs:
      tags: [k8s]
      targets: [mirror.rd.test]
      extra_args: ${probeOptions}
      dind_wait: ${dindWait}
${inputs}
runner-doctor-probe:
  services: []
`
}

async function runProbeJob(inputs: string, variables: string[], dindWait = 10) {
  const dir = await makeConsumerRepo({'.gitlab-ci.yml': pipeline(inputs, dindWait), ...podFiles()})
  consumerDirs.push(dir)
  // The probe's outbound checks go to CI_SERVER_URL and CI_REGISTRY: here the test's TLS endpoint.
  const gitlabAddress = `127.0.0.1:${gitlabPort}`
  const common = [
    '--variable',
    `CI_SERVER_URL=https://${gitlabAddress}`,
    '--variable',
    `CI_REGISTRY=${gitlabAddress}`,
    '--variable',
    'CI_PIPELINE_SOURCE=web',
  ]
  const result = await gitlabCiLocal(
    dir,
    ['--force-shell-executor', ...common, ...variables.flatMap((v) => ['--variable', v]), 'runner-doctor-probe'],
    jobEnv,
    {sharedLoopback: true},
  )
  const output = result.stdout + result.stderr
  const markdownFile = join(dir, 'runner-doctor-probe.md')
  const markdown = existsSync(markdownFile) ? readFileSync(markdownFile, 'utf8') : undefined
  const reportFile = join(dir, 'runner-doctor-probe.json')
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ProbeReport) : undefined
  const junitFile = join(dir, 'runner-doctor-probe-junit.xml')
  const junit = existsSync(junitFile) ? readFileSync(junitFile, 'utf8') : undefined
  return {output, report, junit, markdown, dir}
}

function check(report: ProbeReport | undefined, id: string) {
  const found = report?.checks.find((item) => item.id === id)
  if (!found) throw new Error(`No check ${id} in ${JSON.stringify(report?.checks.map((item) => item.id))}`)
  return found
}

test('with tls false the job probes the plain dind port, passes, and publishes the JSON and markdown reports', async () => {
  const {output, report, markdown} = await runProbeJob('      tls: false', [`DOCKER_HOST=tcp://docker:${plainDockerd.port}`])
  expect(output).toContain('runner-doctor-probe starting shell (test)')
  expect(report?.mode).toBe('local')
  expect(report!.summary).toMatchObject({fail: 0, exitCode: 0})
  expect(check(report, 'docker-daemon').status).toBe('pass')
  expect(check(report, 'docker-daemon').summary).toMatch(/\(API \d+\.\d+\) answers on tcp:\/\/docker:\d+/)
  expect(check(report, `docker-daemon-docker-${plainDockerd.port}`).summary).toContain('over plain HTTP')
  expect(check(report, 'hosts-aliases').status).toBe('pass')
  expect(check(report, 'dns-cluster-name').status).toBe('pass')
  expect(check(report, 'dns-target-mirror-rd-test').status).toBe('pass')
  expect(check(report, 'outbound-gitlab').status).toBe('pass')
  // The stylish report in the log: the verdict, one line per check, and the totals.
  expect(output).toContain(`runner-doctor-probe > runner-doctor probe (local): ${report!.summary.verdict}`)
  expect(output).toMatch(
    /runner-doctor-probe > {3}pass {4}dns-cluster-name +kubernetes\.default\.svc\.cluster\.local resolves to 127\.0\.0\.1/,
  )
  // The test daemon runs --storage-driver=vfs, which the daemon-side check rightly warns about; nothing else warns.
  expect(report!.checks.filter((c) => c.status === 'warn').map((c) => c.id)).toEqual(['docker-storage'])
  expect(check(report, `docker-registry-127-0-0-1-${gitlabPort}`).status).toBe('pass')
  expect(output).toContain(`${report!.summary.pass} passed, 1 warning, 0 failed, ${report!.summary.skip} skipped in `)
  // The markdown report, to paste into the incident channel, says the same.
  expect(markdown).toMatch(/^### runner-doctor probe: local\n/)
  expect(markdown).toContain(`${report!.summary.pass} passed, 1 warning, 0 failed, ${report!.summary.skip} skipped; exit code 0.`)
  expect(jobOutcome(output, 'runner-doctor-probe')).toBe('PASS')
}, 180_000)

test('the JUnit report has one test case per check, a failure for each failed check, and validates', async () => {
  const {report, junit, dir} = await runProbeJob('      tls: false', ['DOCKER_HOST=tcp://docker:9'], 1)
  expect(junit).toBeDefined()
  const lint = spawnSync('xmllint', ['--noout', '--schema', junitSchema, join(dir, 'runner-doctor-probe-junit.xml')], {encoding: 'utf8'})
  expect(lint.stderr).toContain('validates')
  const names = [...junit!.matchAll(/<testcase classname="runner-doctor probe" name="([^"]+)"/g)].map((match) => match[1])
  expect(names).toEqual(report!.checks.map((item) => item.id))
  expect((junit!.match(/<failure /g) ?? []).length).toBe(report!.summary.fail)
  expect((junit!.match(/<skipped /g) ?? []).length).toBe(report!.summary.skip)
  const failed = report!.checks.find((item) => item.status === 'fail')!
  expect(junit).toMatch(new RegExp(`name="${failed.id}" time="[0-9.]+">\\n {6}<failure`))
}, 180_000)

test('with tls true the job checks the daemon over mutual TLS with the client certificates, as with docker:dind', async () => {
  const {output, report} = await runProbeJob('      tls: true', [
    `DOCKER_HOST=tcp://docker:${tlsDockerd.port}`,
    `DOCKER_CERT_PATH=${tlsFiles.clientDir}`,
  ])
  expect(check(report, 'docker-daemon').status).toBe('pass')
  const endpoint = check(report, `docker-daemon-docker-${tlsDockerd.port}`)
  expect(endpoint.status).toBe('pass')
  expect(endpoint.summary).not.toContain('over plain HTTP')
  expect(endpoint.summary + endpoint.evidence.join(' ')).toMatch(/TLS/)
  expect(jobOutcome(output, 'runner-doctor-probe')).toBe('PASS')
}, 180_000)

test('a daemon that is not there fails the job with the cause, unless allow_failure lets it pass with a warning', async () => {
  const strict = await runProbeJob('      tls: false', ['DOCKER_HOST=tcp://docker:9'], 1)
  expect(strict.report!.summary.fail).toBeGreaterThan(0)
  // The log leads with the cause of the Docker failures and its fix.
  const cause = strict.report!.causes!.find((item) => item.status === 'fail' && item.checks.some((id) => id.startsWith('docker-')))
  expect(cause?.fix).toBeTruthy()
  expect(strict.output).toContain(`fix: ${cause!.fix}`)
  expect(jobOutcome(strict.output, 'runner-doctor-probe')).toBe('FAIL 1')

  const allowed = await runProbeJob('      tls: false\n      allow_failure: true', ['DOCKER_HOST=tcp://docker:9'], 1)
  expect(allowed.output).toContain('A check failed; allow_failure is true, so the job ends with exit code 3')
  expect(jobOutcome(allowed.output, 'runner-doctor-probe')).toBe('WARN 3')
}, 240_000)
