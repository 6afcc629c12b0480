/*
 * DOCKER_HOST as the docker CLI reads it (docker/cli opts/hosts.go, ParseHost): surrounding space is ignored, a
 * value without a scheme is a TCP address, and a TCP address without a port means 2375, whether or not
 * DOCKER_TLS_VERIFY is set (TLS changes only the default of an empty DOCKER_HOST). The runner itself never reads
 * DOCKER_HOST: it passes it to the job containers, where the docker CLI does.
 */

/** The port docker:dind serves the API on without TLS, and the docker CLI's default TCP port. */
export const DOCKER_PLAIN_PORT = 2375
/** The port docker:dind serves the API on with TLS. */
export const DOCKER_TLS_PORT = 2376

export interface DockerHost {
  kind: 'tcp' | 'unix'
  /** Lower-case host name or address without IPv6 brackets; `localhost` for a socket. */
  host: string
  /** 0 for a socket. */
  port: number
  /** Whether the value names the port (the CLI falls back to 2375 when it does not). */
  portGiven: boolean
  socketPath?: string
  /** `tcp://host:port` with the port filled in, or the socket URL as given. */
  label: string
}

const DEFAULT_SOCKET = '/var/run/docker.sock'

/** A DOCKER_HOST (or --docker-host) value as the docker CLI connects to it; undefined when it is not a TCP or socket address. */
export function parseDockerHost(value: string): DockerHost | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const split = text.indexOf('://')
  const scheme = split < 0 ? 'tcp' : text.slice(0, split)
  const address = split < 0 ? text : text.slice(split + 3)
  if (scheme === 'unix') {
    const socketPath = address === '' ? DEFAULT_SOCKET : address
    return {kind: 'unix', host: 'localhost', port: 0, portGiven: false, socketPath, label: text}
  }
  if (scheme !== 'tcp') return undefined
  let url: URL
  try {
    // `tcp://` and `tcp://:2375` are localhost to the CLI.
    url = new URL(`tcp://${address === '' || address.startsWith(':') ? `localhost${address}` : address}`)
  } catch {
    return undefined
  }
  // The CLI refuses a path ("should not contain a path element"), even a lone slash.
  if (url.pathname !== '' || url.search !== '' || url.hash !== '') return undefined
  const portGiven = url.port !== ''
  const port = portGiven ? Number(url.port) : DOCKER_PLAIN_PORT
  const hostname = url.hostname.toLowerCase()
  return {kind: 'tcp', host: hostname.replace(/^\[|\]$/g, ''), port, portGiven, label: `tcp://${hostname}:${port}`}
}

/** Whether the docker CLI accepts the value at all: also ssh://, npipe:// and fd://, which a probe cannot check. */
export function isDockerHostValue(value: string): boolean {
  return parseDockerHost(value) !== undefined || /^(ssh|npipe|fd):\/\//.test(value.trim())
}

/** Names that reach the job pod itself: every container of a Kubernetes job pod shares its network namespace. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
