import {containerPrivileged, dindClientCertDir, sharesDindClientCerts, volumeMountPaths} from '../../src/model/executor/containers.js'
import {allowedDindService, runnerDindService, runnerServices, serviceAliases} from '../../src/model/executor/services.js'

const kubernetes = {
  allowed_services: ['postgres:16', 'docker:27-dind'],
  services: [
    {name: 'registry.example.com/tools/dind-helper:1'},
    'not a table',
    {name: 'docker:27-dind', alias: 'docker', command: ['--mtu=1450', ''], entrypoint: []},
  ],
}

test('runnerServices: each [[runners.kubernetes.services]] table with its place', () => {
  expect(runnerServices(kubernetes)).toEqual([
    {image: 'registry.example.com/tools/dind-helper:1', command: [], entrypoint: [], pointer: '/services/0'},
    {image: 'docker:27-dind', alias: 'docker', command: ['--mtu=1450'], entrypoint: [], pointer: '/services/2'},
  ])
})

test('the dind service a runner adds is a docker dind image, not the first name with "dind" in it', () => {
  expect(runnerDindService(kubernetes)).toMatchObject({image: 'docker:27-dind', alias: 'docker'})
  expect(runnerDindService({services: [{name: 'postgres:16'}]})).toBeUndefined()
})

test('allowedDindService: allowed_services first, then the services the runner adds', () => {
  expect(allowedDindService(kubernetes)).toEqual({image: 'docker:27-dind', pointer: '/allowed_services/1'})
  expect(allowedDindService({services: kubernetes.services})).toEqual({image: 'docker:27-dind', pointer: '/services/2/name'})
  expect(allowedDindService({allowed_services: ['alpine:*']})).toBeUndefined()
})

test('containerPrivileged: the container kind context wins over [runners.kubernetes] privileged', () => {
  expect(containerPrivileged({privileged: true}, 'service')).toBe(true)
  expect(containerPrivileged({privileged: true, service_container_security_context: {privileged: false}}, 'service')).toBe(false)
  expect(containerPrivileged({service_container_security_context: {privileged: true}}, 'service')).toBe(true)
  expect(containerPrivileged({service_container_security_context: {privileged: true}}, 'build')).toBe(false)
  expect(containerPrivileged({}, 'helper')).toBe(false)
})

test('dind client certificates are shared by a volume at the cert directory or its client subdirectory', () => {
  const withClient = {volumes: {empty_dir: [{name: 'docker-certs', mount_path: '/certs/client/'}]}}
  expect(volumeMountPaths(withClient)).toEqual(['/certs/client'])
  expect(dindClientCertDir('/certs/')).toBe('/certs/client')
  expect(sharesDindClientCerts(withClient, '/certs')).toBe(true)
  expect(sharesDindClientCerts({volumes: {empty_dir: [{mount_path: '/certs'}]}}, '/certs')).toBe(true)
  expect(sharesDindClientCerts({volumes: {empty_dir: [{mount_path: '/other'}]}}, '/certs')).toBe(false)
})

test('serviceAliases: the explicit aliases, then the names derived from the image that are valid DNS names', () => {
  expect(serviceAliases('docker:dind')).toEqual(['docker'])
  expect(serviceAliases('docker:27-dind@sha256:0123', 'dind, docker')).toEqual(['dind', 'docker'])
  // The runner derives group__name and group-name; only the second is a valid host alias.
  expect(serviceAliases('registry.example.com/mirror/docker:27-dind')).toEqual(['registry.example.com-mirror-docker'])
  expect(serviceAliases('registry.example.com:5000/docker')).toEqual([])
})
