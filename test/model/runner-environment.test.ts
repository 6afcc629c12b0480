import {runnerDockerSettings} from '../../src/model/executor/runner-dind.js'
import {environmentMap, environmentValues} from '../../src/model/runners.js'

// common/config.go parseVariable and GetVariables: split at the first "=", nothing trimmed, later entries win.

test('entries split at the first "=" and keep their values as written', () => {
  expect(environmentValues(['A=1', 'URL=https://x?a=b', 'EMPTY=', 'B= spaced '])).toEqual(
    new Map([
      ['A', '1'],
      ['URL', 'https://x?a=b'],
      ['EMPTY', ''],
      ['B', ' spaced '],
    ]),
  )
})

test('names are not trimmed: " DOCKER_HOST = x" does not set DOCKER_HOST', () => {
  // Decision: lint trimmed names and the probe did not; the runner does not, so neither does the model.
  const env = environmentMap(['DOCKER_HOST =tcp://docker:2375', ' DOCKER_TLS_CERTDIR=/certs'])
  expect(env.has('DOCKER_HOST')).toBe(false)
  expect(env.get('DOCKER_HOST ')).toEqual({value: 'tcp://docker:2375', index: 0})
  expect(runnerDockerSettings(['DOCKER_HOST =tcp://docker:2375'], {}).host).toBeUndefined()
})

test('entries without "=" are dropped and a later entry wins, with its index', () => {
  expect(environmentMap(['GIT_DEPTH 10', 'X=1', 'X=2'])).toEqual(new Map([['X', {value: '2', index: 2}]]))
})

test('runnerDockerSettings: DOCKER_HOST with its address, DOCKER_TLS_CERTDIR, and the runner dind image', () => {
  const settings = runnerDockerSettings(['DOCKER_HOST=tcp://docker', 'DOCKER_TLS_CERTDIR='], {
    services: [{name: 'docker:18.09-dind', alias: 'docker'}],
  })
  expect(settings).toEqual({
    host: {
      value: 'tcp://docker',
      index: 0,
      address: {kind: 'tcp', host: 'docker', port: 2375, portGiven: false, label: 'tcp://docker:2375'},
    },
    certDir: {value: '', index: 1},
    dindImage: 'docker:18.09-dind',
  })
  expect(runnerDockerSettings([], {}).dindImage).toBe('docker:dind')
})
