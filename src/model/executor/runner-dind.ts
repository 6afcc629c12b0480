import {environmentMap} from '../runners.js'
import {type DockerHost, parseDockerHost} from './docker-host.js'
import {runnerDindService} from './services.js'

/** The dind image a job gets when it just writes `services: [docker:dind]`. */
export const DEFAULT_DIND_IMAGE = 'docker:dind'

/** A runner `environment` entry, with its place in the list. */
export interface EnvironmentEntry {
  value: string
  index: number
}

export interface RunnerDockerSettings {
  /** DOCKER_HOST from the runner's environment, and the address the docker CLI makes of it. */
  host?: EnvironmentEntry & {address?: DockerHost}
  certDir?: EnvironmentEntry
  /** The dind image the runner adds to every job, else the one jobs usually name. */
  dindImage: string
}

/** The Docker client and dind settings a runner gives every job through its `environment` and services. */
export function runnerDockerSettings(environment: string[], kubernetes: Record<string, unknown>): RunnerDockerSettings {
  const env = environmentMap(environment)
  const host = env.get('DOCKER_HOST')
  return {
    ...(host ? {host: {...host, address: parseDockerHost(host.value)}} : {}),
    ...(env.has('DOCKER_TLS_CERTDIR') ? {certDir: env.get('DOCKER_TLS_CERTDIR')} : {}),
    dindImage: runnerDindService(kubernetes)?.image || DEFAULT_DIND_IMAGE,
  }
}
