import type {HostsEntry} from './hosts-file.js'
import type {ResolvConf} from './resolv-conf.js'

/** Where a Docker endpoint to probe came from; only endpoints someone asked for fail when silent. */
export type DockerHostOrigin = 'requested' | 'DOCKER_HOST' | 'default' | 'counterpart'

export interface DockerEndpoint {
  url: string
  origin: DockerHostOrigin
}

/** Options after defaults were applied; every check reads only this. */
export interface ResolvedProbeOptions {
  resolvConf: string
  hostsFile: string
  dockerHosts: DockerEndpoint[]
  targets: string[]
  gitlabUrl?: string
  registries: string[]
  clusterDomain: string
  /** Timeout for one DNS query, one connection or one HTTP request. */
  timeoutMs: number
  /** How long to wait for any Docker daemon to start listening (dind takes seconds). */
  dindWaitMs: number
  certDir: string
  /** Tries per DNS query series, for median and worst latency. */
  dnsTries: number
  /** Queries per nameserver in the loss series (0: off). */
  dnsLossQueries: number
  /** Directory holding one folder per network interface with an `mtu` file. */
  netClassDir: string
  /** Extra CA bundle (PEM) trusted for the outbound TLS handshakes. */
  tlsCaFile?: string
  /** Whether cluster names must resolve: `auto` decides from KUBERNETES_SERVICE_HOST and the search list. */
  clusterDns: boolean | 'auto'
  /** A daemon.json mounted for dind (config_map or host_path volume); its mtu is what dind's bridge gets. */
  daemonJson: string
  /** `--deep`: run this image on the daemon that answers. */
  deepRun?: {image: string; command?: string[]}
  /** Whether to look for a Docker daemon at all. */
  docker: boolean
  builder?: 'kaniko' | 'buildah'
}

export interface ProbeContext {
  options: ResolvedProbeOptions
  env: Record<string, string | undefined>
  resolv?: ResolvConf
  hosts: HostsEntry[]
  /**
   * True when resolv.conf and the hosts file are the ones getaddrinfo reads; only then is the system
   * resolver compared with raw queries (otherwise it would ask servers outside the files under test).
   */
  systemResolverMatches: boolean
  progress(message: string): void
}
