import {imageReference} from '../images.js'

/** The `helper_image_flavor` values the runner builds a helper image tag from; any other names no image. */
export const HELPER_IMAGE_FLAVORS = ['alpine', 'alpine3.18', 'alpine3.19', 'alpine3.21', 'alpine-latest', 'ubi-fips', 'ubuntu']

/**
 * Which runner release a `helper_image` names: a digest is a fixed image of unknown release, an untagged or latest /
 * bleeding tag moves, and a tag such as x86_64-v17.2.0 names the 17.2 series (`minor` undefined when the tag names
 * no version, for example ${CI_RUNNER_REVISION} filled in later).
 */
export type HelperImagePin = {kind: 'digest'} | {kind: 'moving'} | {kind: 'release'; minor: string | undefined}

export function helperImagePin(image: string): HelperImagePin {
  const ref = imageReference(image.trim())
  if (ref.digest) return {kind: 'digest'}
  if (ref.tag === undefined || /(^|-)(latest|bleeding)$/.test(ref.tag)) return {kind: 'moving'}
  return {kind: 'release', minor: /v(\d+\.\d+)\.\d+/.exec(ref.tag)?.[1]}
}

/** The `major.minor` series of a runner version (17.5.1 → 17.5). */
export function runnerSeries(version: string): string | undefined {
  return /^(\d+\.\d+)/.exec(version)?.[1]
}
