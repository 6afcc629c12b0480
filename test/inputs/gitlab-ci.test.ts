import {parse} from 'yaml'

import {readGitlabCi} from '../../src/model/gitlab-ci.js'

const read = (text: string) => readGitlabCi(parse(text) as Record<string, unknown>)
const variablesOf = (job: {variables: Map<string, {value: string; pointer: string}>}) =>
  Object.fromEntries([...job.variables].map(([k, v]) => [k, `${v.value} @ ${v.pointer}`]))

test('jobs are the top-level maps that are not keywords or hidden templates', () => {
  const config = read(`
stages: [build]
variables: {A: "1"}
default: {image: alpine}
workflow: {rules: [{when: always}]}
.template: {script: [echo]}
build: {script: [make]}
pages: {script: [make docs]}
`)
  expect(config.jobs.map((j) => j.name)).toEqual(['build', 'pages'])
  expect(config.includes).toBe(false)
})

test('extends merges variables key by key, later templates and the job itself winning, services replaced', () => {
  const config = read(`
.docker:
  services: [docker:27-dind]
  variables: {DOCKER_HOST: "tcp://docker:2375", DOCKER_TLS_CERTDIR: ""}
.tls:
  extends: .docker
  variables: {DOCKER_HOST: "tcp://docker:2376", DOCKER_TLS_CERTDIR: /certs}
build:
  extends: [.docker, .tls]
  variables: {EXTRA: true}
  script: [docker build .]
other:
  extends: .docker
  services: [{name: "registry.example.com/docker:27-dind", alias: docker, variables: {DOCKER_TLS_CERTDIR: ""}}]
  script: [docker info]
`)
  const [build, other] = config.jobs
  expect(variablesOf(build)).toEqual({
    DOCKER_HOST: 'tcp://docker:2376 @ /.tls/variables/DOCKER_HOST',
    DOCKER_TLS_CERTDIR: '/certs @ /.tls/variables/DOCKER_TLS_CERTDIR',
    EXTRA: 'true @ /build/variables/EXTRA',
  })
  expect(build.services).toEqual([
    {image: 'docker:27-dind', pointer: '/.docker/services/0', variables: new Map(), command: [], entrypoint: []},
  ])
  expect(other.services[0]).toMatchObject({image: 'registry.example.com/docker:27-dind', alias: 'docker', pointer: '/other/services/0'})
  expect(other.services[0].variables.get('DOCKER_TLS_CERTDIR')).toEqual({
    value: '',
    pointer: '/other/services/0/variables/DOCKER_TLS_CERTDIR',
  })
  expect(build.partial).toBe(false)
})

test('global variables and default services apply unless inherit turns them off', () => {
  const config = read(`
variables: {DOCKER_HOST: "tcp://docker:2376", OTHER: x}
default:
  services: [docker:dind]
plain: {script: [a]}
no-defaults:
  inherit: {default: false, variables: [OTHER]}
  script: [b]
own-services:
  services: [postgres:16]
  variables:
    DOCKER_HOST: {value: "tcp://localhost:2375", description: "long form"}
  script: [c]
`)
  const [plain, noDefaults, own] = config.jobs
  expect(plain.services.map((s) => s.image)).toEqual(['docker:dind'])
  expect(variablesOf(plain).DOCKER_HOST).toBe('tcp://docker:2376 @ /variables/DOCKER_HOST')
  expect(noDefaults.services).toEqual([])
  expect(Object.keys(variablesOf(noDefaults))).toEqual(['OTHER'])
  expect(own.services.map((s) => s.image)).toEqual(['postgres:16'])
  expect(variablesOf(own).DOCKER_HOST).toBe('tcp://localhost:2375 @ /own-services/variables/DOCKER_HOST')
})

test('an unknown or circular template marks the job partial instead of failing; include marks the file', () => {
  const config = read(`
include: [{local: ci/templates.yml}]
a: {extends: .from-include, script: [x]}
b: {extends: .loop, script: [y]}
.loop: {extends: b}
`)
  expect(config.includes).toBe(true)
  expect(config.jobs.map((j) => [j.name, j.partial])).toEqual([
    ['a', true],
    ['b', true],
  ])
})

test('keys with / and ~ are escaped in pointers', () => {
  const [job] = read(`"build/x~y": {variables: {"A/B": "1"}, services: ["docker:dind"], script: [z]}`).jobs
  expect(job.pointer).toBe('/build~1x~0y')
  expect(job.variables.get('A/B')?.pointer).toBe('/build~1x~0y/variables/A~1B')
})
