import {imageReference} from '../images.js'

/*
 * What the docker library image's dind variants do with DOCKER_TLS_CERTDIR (docker-library/docker, commit
 * 6438624 "Add automatic TLS generation (and enable it by default in 19.03+)", update.sh and dockerd-entrypoint.sh):
 * the entrypoint serves TLS on 2376 when DOCKER_TLS_CERTDIR is non-empty and plain HTTP on 2375 otherwise. 19.03 and
 * later images set DOCKER_TLS_CERTDIR=/certs; 18.09 images honour the variable but leave it empty; older images
 * (18.06 and before, built before the feature) ignore it and always serve plain HTTP on 2375.
 */

/**
 * A Docker daemon image: the docker library image's dind variants and their mirrors (docker:dind, docker:27-dind,
 * registry.example.com/mirror/docker:dind-rootless). Other images that merely have "dind" in their path are not
 * assumed to behave like them.
 */
export function isDindImage(image: string): boolean {
  return /(^|\/)docker:[^/]*dind/.test(image)
}

export type DindTlsSupport = 'none' | 'opt-in' | 'default'

/** The Docker release a docker image tag names: 27.3.1-dind is 27.3; undefined for dind, latest, stable and the like. */
export function dockerImageVersion(image: string): {major: number; minor?: number} | undefined {
  const tag = imageReference(image.trim()).tag
  const m = tag ? /^(\d+)(?:\.(\d+))?/.exec(tag) : null
  return m ? {major: Number(m[1]), ...(m[2] === undefined ? {} : {minor: Number(m[2])})} : undefined
}

/** How a dind image treats DOCKER_TLS_CERTDIR; a tag without a version (dind, latest) is a current release. */
export function dindTlsSupport(image: string): DindTlsSupport {
  const version = dockerImageVersion(image)
  if (!version || version.major >= 19) return 'default'
  // docker:18-dind was the 18.09 series, the last 18.x.
  if (version.major === 18 && (version.minor === undefined || version.minor >= 9)) return 'opt-in'
  return 'none'
}

/** DOCKER_TLS_CERTDIR as the image sets it when nobody else does. */
export function dindDefaultCertDir(image: string): string {
  return dindTlsSupport(image) === 'default' ? '/certs' : ''
}

/** Whether the daemon of a dind image serves TLS on 2376 (else plain HTTP on 2375), given the DOCKER_TLS_CERTDIR its container gets. */
export function dindServesTls(image: string, certDir: string | undefined): boolean {
  if (dindTlsSupport(image) === 'none') return false
  return (certDir ?? dindDefaultCertDir(image)) !== ''
}
