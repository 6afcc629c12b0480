import {dindDefaultCertDir, dindServesTls, dindTlsSupport, dockerImageVersion, isDindImage} from '../../src/model/executor/dind.js'

describe('isDindImage', () => {
  test('the docker image dind variants and their mirrors', () => {
    const images = [
      'docker:dind',
      'docker:27-dind',
      'docker:27.3.1-dind-alpine3.20',
      'docker:dind-rootless',
      'registry.example.com/mirror/docker:27-dind',
      'docker:dind@sha256:0123',
    ]
    expect(images.filter(isDindImage)).toEqual(images)
  })

  test('not the client image, nor other images with "dind" somewhere in their path', () => {
    // Decision: the probe took the first runner service with "dind" anywhere in its name; lint the docker image's
    // dind tags. The TLS defaults and ports below are those of the docker image, so both now use lint's test.
    expect(
      ['docker:27', 'docker:27-cli', 'registry.example.com/dind-tools/kubectl:1.31', 'ghcr.io/acme/dind-cache-warmer:2'].some(isDindImage),
    ).toBe(false)
  })
})

test('dockerImageVersion reads major and minor from the tag', () => {
  expect(dockerImageVersion('docker:27.3.1-dind')).toEqual({major: 27, minor: 3})
  expect(dockerImageVersion('docker:18-dind')).toEqual({major: 18})
  expect(dockerImageVersion('registry:5000/mirror/docker:18.09.7-dind')).toEqual({major: 18, minor: 9})
  expect(dockerImageVersion('docker:dind')).toBeUndefined()
  expect(dockerImageVersion('docker:stable-dind')).toBeUndefined()
})

describe('TLS by image version (docker-library/docker 6438624: TLS from DOCKER_TLS_CERTDIR, on by default in 19.03+)', () => {
  test('19.03 and later, and tags without a version, default DOCKER_TLS_CERTDIR to /certs', () => {
    for (const image of ['docker:19.03-dind', 'docker:27-dind', 'docker:dind', 'docker:dind-rootless']) {
      expect([image, dindTlsSupport(image), dindDefaultCertDir(image), dindServesTls(image, undefined)]).toEqual([
        image,
        'default',
        '/certs',
        true,
      ])
    }
    expect(dindServesTls('docker:27-dind', '')).toBe(false)
  })

  test('18.09 honours DOCKER_TLS_CERTDIR but leaves it empty', () => {
    // Decision: the probe assumed TLS for any image without DOCKER_TLS_CERTDIR; lint's ci rules assumed no TLS for
    // any image before 19.03 even with DOCKER_TLS_CERTDIR set. The 18.09 images do what the variable says.
    for (const image of ['docker:18.09-dind', 'docker:18.09.7-dind', 'docker:18-dind']) {
      expect([image, dindTlsSupport(image), dindDefaultCertDir(image)]).toEqual([image, 'opt-in', ''])
      expect(dindServesTls(image, undefined)).toBe(false)
      expect(dindServesTls(image, '/certs')).toBe(true)
    }
  })

  test('older images never serve TLS, whatever DOCKER_TLS_CERTDIR says', () => {
    for (const image of ['docker:18.06-dind', 'docker:17.12-dind', 'docker:1.13-dind']) {
      expect([image, dindTlsSupport(image), dindServesTls(image, '/certs')]).toEqual([image, 'none', false])
    }
  })
})
