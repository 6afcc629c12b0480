import {DOCKER_PLAIN_PORT, isDockerHostValue, isLoopbackHost, parseDockerHost} from '../../src/model/executor/docker-host.js'

// DOCKER_HOST as the docker CLI reads it (docker/cli opts/hosts.go ParseHost and ParseTCPAddr).

describe('parseDockerHost', () => {
  test('a TCP address without a port is 2375, also when the client speaks TLS', () => {
    // Decision: lint skipped such values (port unknown) and the probe took 2376 when DOCKER_TLS_VERIFY was set; the
    // CLI's ParseTCPAddr falls back to tcp://localhost:2375 whatever the TLS settings, so both now say 2375.
    expect(parseDockerHost('tcp://docker')).toEqual({
      kind: 'tcp',
      host: 'docker',
      port: DOCKER_PLAIN_PORT,
      portGiven: false,
      label: 'tcp://docker:2375',
    })
    expect(parseDockerHost('tcp://docker:2376')).toMatchObject({host: 'docker', port: 2376, portGiven: true, label: 'tcp://docker:2376'})
  })

  test('a value without a scheme is a TCP address, and space around it is ignored', () => {
    expect(parseDockerHost('docker:2376')).toMatchObject({kind: 'tcp', host: 'docker', port: 2376})
    expect(parseDockerHost('  tcp://docker:2375 ')).toMatchObject({host: 'docker', port: 2375, label: 'tcp://docker:2375'})
  })

  test('host names are lower-cased, IPv6 brackets are dropped from the host but kept in the label', () => {
    expect(parseDockerHost('tcp://Docker:2375')).toMatchObject({host: 'docker'})
    expect(parseDockerHost('tcp://[::1]:2376')).toMatchObject({host: '::1', port: 2376, label: 'tcp://[::1]:2376'})
  })

  test('an empty host is localhost, as for the CLI', () => {
    expect(parseDockerHost('tcp://:2376')).toMatchObject({host: 'localhost', port: 2376})
    expect(parseDockerHost('tcp://')).toMatchObject({host: 'localhost', port: 2375})
  })

  test('a path, a bad port or another scheme is not a TCP or socket address', () => {
    expect(parseDockerHost('tcp://docker:2375/')).toBeUndefined()
    expect(parseDockerHost('tcp://docker:port')).toBeUndefined()
    expect(parseDockerHost('ssh://user@host')).toBeUndefined()
    expect(parseDockerHost('')).toBeUndefined()
  })

  test('unix sockets, with the default path when none is given', () => {
    expect(parseDockerHost('unix:///run/docker.sock')).toEqual({
      kind: 'unix',
      host: 'localhost',
      port: 0,
      portGiven: false,
      socketPath: '/run/docker.sock',
      label: 'unix:///run/docker.sock',
    })
    expect(parseDockerHost('unix://')?.socketPath).toBe('/var/run/docker.sock')
  })
})

test('isDockerHostValue accepts what the CLI accepts, including schemes a probe cannot check', () => {
  expect(
    ['tcp://docker:2376', 'docker:2375', 'unix:///var/run/docker.sock', 'ssh://me@host', 'npipe:////./pipe/docker_engine', 'fd://'].every(
      isDockerHostValue,
    ),
  ).toBe(true)
  expect(['http://docker:2375', 'tcp://docker:2375/v1.41', 'tcp://docker:x'].some(isDockerHostValue)).toBe(false)
})

test('isLoopbackHost: localhost, 127.0.0.0/8 and ::1, nothing else', () => {
  expect(['localhost', '127.0.0.1', '127.1.2.3', '::1'].every(isLoopbackHost)).toBe(true)
  expect(['docker', '10.0.0.1', '128.0.0.1', 'localhost.example.com'].some(isLoopbackHost)).toBe(false)
})
