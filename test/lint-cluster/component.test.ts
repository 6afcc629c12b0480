// The lint component's cluster_context input, end to end: gitlab-ci-local runs the component's job with the
// checked-out CLI and a KUBECONFIG like the one the GitLab agent for Kubernetes gives a job (a context named
// agent-project-path:agent-name), pointing at the test bed's real API server on loopback.
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {afterAll, beforeAll, expect, it} from '@jest/globals'

import {checkedOutCli, gitlabCiLocal, jobOutcome, makeConsumerRepo} from '../ci-component/component.js'
import {REPO_ROOT, testCluster, type TestCluster} from '../support/test-cluster.js'
import {deployedRunner, TUTORIAL} from './deployed-runner.js'

const AGENT_CONTEXT = 'platform/cluster-agents:ci-agent'
let cluster: TestCluster
let shimDir: string
let agentKubeconfig: string
const cleanup: string[] = []

beforeAll(async () => {
  cluster = await testCluster()
  shimDir = mkdtempSync(join(tmpdir(), 'rd-cli-shim-'))
  cleanup.push(shimDir)
  // The agent's KUBECONFIG names each agent's context by its project path and name; the credentials here are the test bed's.
  agentKubeconfig = join(cluster.dir, 'agent.kubeconfig')
  const pki = join(cluster.dir, 'pki')
  writeFileSync(
    agentKubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: gitlab
  cluster: {server: "${cluster.server}", certificate-authority: ${join(pki, 'ca.crt')}}
users:
- name: agent:ci-agent
  user: {client-certificate: ${join(pki, 'admin.crt')}, client-key: ${join(pki, 'admin.key')}}
contexts:
- name: ${AGENT_CONTEXT}
  context: {cluster: gitlab, user: "agent:ci-agent"}
`,
  )
}, 45 * 60_000)

afterAll(() => {
  for (const dir of cleanup) rmSync(dir, {recursive: true, force: true})
})

async function runComponent(inputs: string): Promise<{outcome: string | undefined; output: string; checks: string[]}> {
  const pipeline = `include:
  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA
    inputs:
      files: values.yaml
${inputs}`
  const dir = await makeConsumerRepo({'.gitlab-ci.yml': pipeline, 'values.yaml': readFileSync(join(REPO_ROOT, TUTORIAL), 'utf8')})
  cleanup.push(dir, `${dir}-state`)
  const result = await gitlabCiLocal(
    dir,
    [
      '--force-shell-executor',
      '--state-dir',
      `../${basename(dir)}-state`,
      '--variable',
      `KUBECONFIG=${agentKubeconfig}`,
      'runner-doctor-lint',
    ],
    checkedOutCli(shimDir),
    {sharedLoopback: true},
  )
  const output = result.stdout + result.stderr
  let checks: string[] = []
  try {
    checks = (JSON.parse(readFileSync(join(dir, 'gl-code-quality-report.json'), 'utf8')) as Array<{check_name: string}>).map(
      (i) => i.check_name,
    )
  } catch {
    // No report: the run could not complete.
  }
  return {outcome: jobOutcome(output, 'runner-doctor-lint'), output, checks}
}

it('cluster_context runs lint --cluster through the agent’s KUBECONFIG: the cluster findings reach the Code Quality report', async () => {
  const namespace = await deployedRunner(cluster, {concurrent: 4})
  const {outcome, checks, output} = await runComponent(`      cluster_context: ${AGENT_CONTEXT}\n      cluster_namespace: ${namespace}\n`)
  expect(outcome).toBe('FAIL 1')
  expect(checks).toEqual(expect.arrayContaining(['cluster-podsecurity', 'cluster-quota', 'cluster-capacity', 'cluster-drift']))
  expect(output).toContain(`Namespace ${namespace} enforces Pod Security "baseline"`)
}, 240_000)

it('a context the KUBECONFIG does not have fails the job with exit code 2 and says so', async () => {
  const {outcome, output} = await runComponent('      cluster_context: platform/cluster-agents:other\n')
  expect(outcome).toBe('FAIL 2')
  expect(output).toContain('--cluster: the kubeconfig has no context named "platform/cluster-agents:other"')
}, 240_000)
