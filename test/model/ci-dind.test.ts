import {parse} from 'yaml'

import {acrossRunners, ANY_RUNNER, daemonCertDir, daemonServesTls, dindUses, jobDockerHost} from '../../src/model/executor/ci-dind.js'
import type {CiRunner} from '../../src/model/runners.js'

const pipeline = parse(`
variables:
  DOCKER_HOST: tcp://docker:2376
old:
  services: [docker:18.09-dind]
  script: [docker info]
old-tls:
  services:
    - name: docker:18.09-dind
      variables: {DOCKER_TLS_CERTDIR: /certs}
  script: [docker info]
current:
  services: [docker:27-dind, postgres:16]
  variables: {DOCKER_HOST: docker}
  script: [docker info]
`) as Record<string, unknown>

const runner = (label: string, environment: Record<string, string> = {}): CiRunner => ({
  label,
  kubernetes: {},
  environment: new Map(Object.entries(environment)),
})

test('dindUses: each job with a dind service, once per pipeline object', () => {
  expect(dindUses(pipeline).map((u) => `${u.job.name} ${u.service.image}`)).toEqual([
    'old docker:18.09-dind',
    'old-tls docker:18.09-dind',
    'current docker:27-dind',
  ])
  expect(dindUses(pipeline)).toBe(dindUses(pipeline))
})

test('the daemon TLS of a job follows its image and DOCKER_TLS_CERTDIR from service, job, runner or image', () => {
  const [old, oldTls, current] = dindUses(pipeline)
  expect(daemonCertDir(old!, ANY_RUNNER)).toEqual({value: '', from: 'image default'})
  expect(daemonServesTls(old!, ANY_RUNNER)).toBe(false)
  expect(daemonServesTls(oldTls!, ANY_RUNNER)).toBe(true)
  expect(daemonServesTls(current!, ANY_RUNNER)).toBe(true)
  expect(daemonCertDir(current!, runner('r', {DOCKER_TLS_CERTDIR: ''}))).toEqual({value: '', from: 'runner'})
  expect(jobDockerHost(current!, ANY_RUNNER)?.address).toMatchObject({host: 'docker', port: 2375, portGiven: false})
})

test('acrossRunners merges runners that give the same answer', () => {
  const runners = [runner('a'), runner('b', {DOCKER_TLS_CERTDIR: ''}), runner('c')]
  const answers = acrossRunners(pipeline, runners, (use, r) =>
    use.job.name === 'current' ? {pointer: use.service.pointer, tls: daemonServesTls(use, r)} : undefined,
  )
  expect(answers.map(({issue, runners: labels}) => [issue.tls, labels])).toEqual([
    [true, 'a, c'],
    [false, 'b'],
  ])
  expect(acrossRunners(pipeline, [], () => ({pointer: ''}), {needsRunner: true})).toEqual([])
  expect(acrossRunners(pipeline, [], (use) => (use.job.name === 'old' ? {pointer: ''} : undefined))[0]?.runners).toBe('the runner')
})
