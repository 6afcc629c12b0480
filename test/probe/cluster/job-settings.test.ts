import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from '@jest/globals'
import {jobFromCiFile, JobSettingsError, parseVarFlags} from '../../../src/probe/cluster/job-settings.js'
import {buildMirrorPod, DIND_CONTAINER_ANNOTATION} from '../../../src/probe/cluster/mirror-pod.js'
import {runCli} from './helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'rd-ci-file-'))
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const CI = `variables:
  DOCKER_TLS_CERTDIR: "/certs"
  GLOBAL_ONLY: "yes"
default:
  image: alpine:3.20
.dind:
  services:
    - name: registry.example.com/mirror/docker:27-dind
      alias: docker
      command: ["--mtu=1450"]
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  variables:
    DOCKER_HOST: tcp://docker:2376
build-image:
  extends: .dind
  image: docker:27
  variables:
    DOCKER_TLS_VERIFY: "1"
kaniko:
  image:
    name: gcr.io/kaniko-project/executor:v1.23.2-debug
  inherit:
    variables: false
  script: [/kaniko/executor]
`

describe('--ci-file/--job and --var', () => {
  it('takes the job services, variables and image as lint resolves them (extends, default, inherit)', async () => {
    const job = await jobFromCiFile(write('.gitlab-ci.yml', CI), 'build-image')
    expect(job.jobServices).toEqual([
      {
        image: 'registry.example.com/mirror/docker:27-dind',
        alias: 'docker',
        command: ['--mtu=1450'],
        entrypoint: [],
        variables: {HEALTHCHECK_TCP_PORT: '2376'},
      },
    ])
    expect(job.jobVariables).toEqual({
      DOCKER_TLS_CERTDIR: '/certs',
      GLOBAL_ONLY: 'yes',
      DOCKER_HOST: 'tcp://docker:2376',
      DOCKER_TLS_VERIFY: '1',
    })
    expect(job.jobImage).toBe('docker:27')
    const kaniko = await jobFromCiFile(write('.gitlab-ci.yml', CI), 'kaniko')
    expect(kaniko).toMatchObject({jobServices: [], jobVariables: {}, jobImage: 'gcr.io/kaniko-project/executor:v1.23.2-debug'})
  })

  it(
    'the mirror pod gets the job dind (with its alias and --mtu), the variables in build and service ' +
      'containers, and --var over the file',
    async () => {
      const job = await jobFromCiFile(write('.gitlab-ci.yml', CI), 'build-image')
      const pod = buildMirrorPod({
        runner: {kubernetes: {privileged: true}, environment: []},
        runId: 'a',
        name: 'rd-probe-a',
        namespace: 'ci',
        agentSource: '0',
        agentOptions: {},
        deadlineSeconds: 60,
        now: new Date(),
        ...job,
        jobVariables: {...job.jobVariables, ...parseVarFlags(['DOCKER_HOST=tcp://localhost:2376', 'EMPTY='])},
      })
      const [build, , dind] = pod.spec!.containers
      expect(pod.metadata!.annotations![DIND_CONTAINER_ANNOTATION]).toBe('docker')
      expect(dind).toMatchObject({name: 'docker', image: 'registry.example.com/mirror/docker:27-dind', args: ['--mtu=1450']})
      expect(dind!.env).toEqual(
        expect.arrayContaining([
          {name: 'HEALTHCHECK_TCP_PORT', value: '2376'},
          {name: 'DOCKER_TLS_CERTDIR', value: '/certs'},
        ]),
      )
      expect(build!.env).toEqual(
        expect.arrayContaining([
          {name: 'DOCKER_HOST', value: 'tcp://localhost:2376'},
          {name: 'DOCKER_TLS_VERIFY', value: '1'},
          {name: 'EMPTY', value: ''},
        ]),
      )
      expect(pod.spec!.hostAliases![0]!.hostnames).toContain('docker')
    },
  )

  it('refuses what it cannot read: bad YAML with file:line:col, an unknown job, a --var without KEY=', async () => {
    const bad = write('bad.yml', 'build:\n  script: [a\n')
    await expect(jobFromCiFile(bad, 'build')).rejects.toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `))
    await expect(jobFromCiFile(write('.gitlab-ci.yml', CI), 'nope')).rejects.toThrow('has no job "nope" (jobs: build-image, kaniko).')
    expect(() => parseVarFlags(['=x'])).toThrow(JobSettingsError)
    expect(() => parseVarFlags(['1A=x'])).toThrow('--var "1A=x" is not KEY=VALUE')
  })

  it('the CLI: a bad --ci-file is exit 2 with one line and no stack trace', async () => {
    const run = await runCli(['probe', '--kubeconfig', join(dir, 'none'), '--ci-file', join(dir, 'absent.yml'), '--job', 'x'])
    expect(run.code).toBe(2)
    expect(run.stderr.trim()).toBe(`runner-doctor probe: --ci-file ${join(dir, 'absent.yml')} cannot be read: ENOENT.`)
  })
})
