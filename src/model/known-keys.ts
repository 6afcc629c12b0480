import runnerKeys from '../data/runner-config-keys.json' with {type: 'json'}

/**
 * The shape of config.toml as GitLab Runner decodes it: every table, the keys it takes, their TOML value
 * types and the runner versions that know them. Built from `src/data/runner-config-keys.json` (struct
 * tags per runner tag) and, for structs that file does not list, from `common/config.go` of the runner.
 */

export type ValueKind =
  | 'string'
  | 'bool'
  | 'int'
  | 'duration'
  | 'string-array'
  | 'string-or-array'
  | 'int-array'
  | 'string-map'
  | 'bool-map'
  | 'int-map'
  | 'table'
  | 'table-array'
  | 'any'

export interface KeySpec {
  kind: ValueKind
  /** First runner release with the key (x.y.z). */
  since?: string
  /** Last runner release that still had the key, when it was removed. */
  lastSeen?: string
  /** For kind table / table-array: the table's own keys. */
  table?: TableSpec
  /** What to use instead of a removed key. */
  replacement?: string
}

export interface TableSpec {
  /** How the table is written in config.toml, e.g. `[runners.kubernetes]`. */
  display: string
  keys: Record<string, KeySpec>
  /** Tables whose contents the runner does not decode by name here (other executors, plugin settings). */
  open?: boolean
}

type JsonKey = {goType: string; firstTagSeen: string | null; lastTagSeen: string | null}
const STRUCTS = runnerKeys as unknown as Record<string, Record<string, JsonKey | string>>

function version(tag: string | null | undefined): string | undefined {
  if (!tag || tag === 'HEAD') return undefined
  const v = tag.replace(/^v/, '')
  return v === '10.0.0' ? undefined : v
}

function kindOfGoType(goType: string): ValueKind {
  const t = goType.replace(/^\*/, '')
  if (['string', 'api.ProcMountType', 'KubernetesDNSPolicy', 'KubernetesPodSpecPatchType', 'cacheconfig.Type'].includes(t)) return 'string'
  if (t === 'bool') return 'bool'
  if (['int', 'int32', 'int64', 'RequestRetryLimit', 'RequestRetryBackoffMax'].includes(t)) return 'int'
  if (t === 'time.Duration') return 'duration'
  if (t === '[]string' || t === '[]DockerPullPolicy') return 'string-array'
  if (t === 'StringOrArray') return 'string-or-array'
  if (t === '[]int64') return 'int-array'
  if (t === 'map[string]string' || t === 'Labels') return 'string-map'
  if (t === 'map[string]bool') return 'bool-map'
  if (t === 'RequestRetryLimits') return 'int-map'
  if (t === 'time.Time') return 'any'
  if (t.startsWith('[]') || t === 'KubernetesHostAliasesFlag') return 'table-array'
  return 'table'
}

/** Keys of one struct from the data file, with versions; `tables` supplies nested tables by key. */
function fromData(struct: string, tables: Record<string, TableSpec> = {}): Record<string, KeySpec> {
  const out: Record<string, KeySpec> = {}
  for (const [key, raw] of Object.entries(STRUCTS[struct] ?? {})) {
    if (typeof raw !== 'object' || raw === null) continue
    const kind = kindOfGoType(raw.goType)
    out[key] = {kind, since: version(raw.firstTagSeen), lastSeen: version(raw.lastTagSeen), ...(tables[key] ? {table: tables[key]} : {})}
  }
  return out
}

function plain(display: string, keys: Record<string, ValueKind | KeySpec>, open = false): TableSpec {
  const spec: Record<string, KeySpec> = {}
  for (const [k, v] of Object.entries(keys)) spec[k] = typeof v === 'string' ? {kind: v} : v
  return {display, keys: spec, open}
}

function openTable(display: string): TableSpec {
  return {display, keys: {}, open: true}
}

const K = '[runners.kubernetes]'

const profile = (name: string) => plain(`${K} ${name}`, {type: 'string', localhost_profile: 'string'})

const containerSecurityContext = (name: string): TableSpec => ({
  display: `[runners.kubernetes.${name}]`,
  keys: fromData('KubernetesContainerSecurityContext', {
    capabilities: plain(`[runners.kubernetes.${name}.capabilities]`, {add: 'string-array', drop: 'string-array'}),
    seccomp_profile: profile(`${name}.seccomp_profile`),
    app_armor_profile: profile(`${name}.app_armor_profile`),
  }),
})

const volumeBase = {name: 'string', mount_path: 'string', sub_path: 'string'} as const

const VOLUMES: TableSpec = {
  display: '[runners.kubernetes.volumes]',
  keys: fromData('KubernetesVolumes', {
    host_path: plain('[[runners.kubernetes.volumes.host_path]]', {
      ...volumeBase,
      read_only: 'bool',
      host_path: 'string',
      mount_propagation: 'string',
    }),
    pvc: plain('[[runners.kubernetes.volumes.pvc]]', {...volumeBase, read_only: 'bool', mount_propagation: 'string'}),
    config_map: plain('[[runners.kubernetes.volumes.config_map]]', {...volumeBase, read_only: 'bool', items: 'string-map'}),
    secret: plain('[[runners.kubernetes.volumes.secret]]', {...volumeBase, read_only: 'bool', items: 'string-map'}),
    empty_dir: plain('[[runners.kubernetes.volumes.empty_dir]]', {...volumeBase, medium: 'string', size_limit: 'string'}),
    csi: plain('[[runners.kubernetes.volumes.csi]]', {
      ...volumeBase,
      driver: 'string',
      fs_type: 'string',
      read_only: 'bool',
      volume_attributes: 'string-map',
    }),
    nfs: plain('[[runners.kubernetes.volumes.nfs]]', {...volumeBase, server: 'string', path: 'string', read_only: 'bool'}),
  }),
}

const requirement = plain('match expression', {key: 'string', operator: 'string', values: 'string-array'})
const nodeSelectorTerm = plain('node selector term', {
  match_expressions: {kind: 'table-array', table: requirement},
  match_fields: {kind: 'table-array', table: requirement},
})
const labelSelector = plain('label selector', {match_labels: 'string-map', match_expressions: {kind: 'table-array', table: requirement}})
const podAffinityTerm = plain('pod affinity term', {
  label_selector: {kind: 'table', table: labelSelector},
  namespaces: 'string-array',
  topology_key: 'string',
  namespace_selector: {kind: 'table', table: labelSelector},
})
const podAffinity = (name: string) =>
  plain(`[runners.kubernetes.affinity.${name}]`, {
    required_during_scheduling_ignored_during_execution: {kind: 'table-array', table: podAffinityTerm},
    preferred_during_scheduling_ignored_during_execution: {
      kind: 'table-array',
      table: plain('weighted pod affinity term', {weight: 'int', pod_affinity_term: {kind: 'table', table: podAffinityTerm}}),
    },
  })

const AFFINITY = plain('[runners.kubernetes.affinity]', {
  node_affinity: {
    kind: 'table',
    table: plain('[runners.kubernetes.affinity.node_affinity]', {
      required_during_scheduling_ignored_during_execution: {
        kind: 'table',
        table: plain('node selector', {node_selector_terms: {kind: 'table-array', table: nodeSelectorTerm}}),
      },
      preferred_during_scheduling_ignored_during_execution: {
        kind: 'table-array',
        table: plain('preferred scheduling term', {weight: 'int', preference: {kind: 'table', table: nodeSelectorTerm}}),
      },
    }),
  },
  pod_affinity: {kind: 'table', table: podAffinity('pod_affinity')},
  pod_anti_affinity: {kind: 'table', table: podAffinity('pod_anti_affinity')},
})

const handler = (name: string) =>
  plain(`[runners.kubernetes.container_lifecycle.${name}]`, {
    exec: {kind: 'table', table: plain('exec', {command: 'string-array'})},
    http_get: {
      kind: 'table',
      table: plain('http_get', {
        host: 'string',
        http_headers: {kind: 'table-array', table: plain('http header', {name: 'string', value: 'string'})},
        path: 'string',
        port: 'int',
        scheme: 'string',
      }),
    },
    tcp_socket: {kind: 'table', table: plain('tcp_socket', {host: 'string', port: 'int'})},
  })

export const KUBERNETES: TableSpec = {
  display: K,
  keys: fromData('KubernetesConfig', {
    pod_security_context: {
      display: '[runners.kubernetes.pod_security_context]',
      keys: fromData('KubernetesPodSecurityContext', {
        seccomp_profile: profile('pod_security_context.seccomp_profile'),
        app_armor_profile: profile('pod_security_context.app_armor_profile'),
      }),
    },
    build_container_security_context: containerSecurityContext('build_container_security_context'),
    helper_container_security_context: containerSecurityContext('helper_container_security_context'),
    service_container_security_context: containerSecurityContext('service_container_security_context'),
    init_permissions_container_security_context: containerSecurityContext('init_permissions_container_security_context'),
    volumes: VOLUMES,
    dns_config: {
      display: '[runners.kubernetes.dns_config]',
      keys: fromData('KubernetesDNSConfig', {
        options: plain('[[runners.kubernetes.dns_config.options]]', {name: 'string', value: 'string'}),
      }),
    },
    host_aliases: plain('[[runners.kubernetes.host_aliases]]', {ip: 'string', hostnames: 'string-array'}),
    services: plain('[[runners.kubernetes.services]]', {
      name: 'string',
      alias: 'string',
      command: 'string-array',
      entrypoint: 'string-array',
      environment: 'string-array',
    }),
    affinity: AFFINITY,
    container_lifecycle: plain('[runners.kubernetes.container_lifecycle]', {
      post_start: {kind: 'table', table: handler('post_start')},
      pre_stop: {kind: 'table', table: handler('pre_stop')},
    }),
    pod_spec: {display: '[[runners.kubernetes.pod_spec]]', keys: fromData('KubernetesPodSpec')},
    autoscaler: openTable('[runners.kubernetes.autoscaler]'),
  }),
}
// Removed in 17.0 (issue 28165); the data file records its last release.
KUBERNETES.keys.terminationGracePeriodSeconds.replacement =
  'pod_termination_grace_period_seconds (pod) and cleanup_grace_period_seconds (cleanup)'

const S3 = plain('[runners.cache.s3]', {
  ServerAddress: 'string',
  AccessKey: 'string',
  SecretKey: 'string',
  SessionToken: 'string',
  BucketName: 'string',
  BucketLocation: 'string',
  Insecure: 'bool',
  AuthenticationType: 'string',
  ServerSideEncryption: 'string',
  ServerSideEncryptionKeyID: 'string',
  DualStack: 'bool',
  PathStyle: 'bool',
  Accelerate: 'bool',
  RoleARN: 'string',
  UploadRoleARN: 'string',
  AssumeRoleMaxConcurrency: 'int',
  DisableAssumeRoleCredentialsCaching: 'bool',
})
const GCS = plain('[runners.cache.gcs]', {
  AccessID: 'string',
  PrivateKey: 'string',
  CredentialsFile: 'string',
  BucketName: 'string',
  UniverseDomain: 'string',
})
const AZURE = plain('[runners.cache.azure]', {
  AccountName: 'string',
  AccountKey: 'string',
  ContainerName: 'string',
  StorageDomain: 'string',
})

function cacheTable(): TableSpec {
  const keys = fromData('CacheConfig', {s3: S3, gcs: GCS, azure: AZURE})
  // The cache struct moved to package cacheconfig after 18.9 with the same keys, so the data file's last tag
  // for the current keys is not a removal.
  for (const key of ['Type', 'Path', 'Shared', 'MaxUploadedArchiveSize', 's3', 'gcs', 'azure']) delete keys[key].lastSeen
  for (const key of ['ServerAddress', 'AccessKey', 'SecretKey', 'BucketName', 'BucketLocation', 'Insecure'])
    keys[key].replacement = `[runners.cache.s3] ${key}`
  return {display: '[runners.cache]', keys}
}

export const CACHE = cacheTable()

/** The `[runners.docker]` keys (runner `DockerConfig`), to name Docker settings written under Kubernetes. */
export const DOCKER_KEYS = new Set([
  'host',
  'tls_cert_path',
  'tls_verify',
  'hostname',
  'image',
  'runtime',
  'memory',
  'memory_swap',
  'memory_reservation',
  'cpuset_cpus',
  'cpus',
  'cpu_shares',
  'dns',
  'dns_search',
  'privileged',
  'services_privileged',
  'disable_entrypoint_overwrite',
  'user',
  'group_add',
  'userns_mode',
  'cap_add',
  'cap_drop',
  'oom_kill_disable',
  'oom_score_adjust',
  'security_opt',
  'services_security_opt',
  'devices',
  'device_cgroup_rules',
  'gpus',
  'disable_cache',
  'volumes',
  'volume_driver',
  'volume_driver_ops',
  'cache_dir',
  'extra_hosts',
  'volumes_from',
  'network_mode',
  'ipcmode',
  'mac_address',
  'links',
  'services',
  'wait_for_services_timeout',
  'allowed_images',
  'allowed_privileged_images',
  'allowed_privileged_services',
  'allowed_pull_policies',
  'allowed_services',
  'pull_policy',
  'isolation',
  'shm_size',
  'tmpfs',
  'services_tmpfs',
  'sysctls',
  'helper_image',
  'helper_image_flavor',
  'container_labels',
  'enable_ipv6',
  'ulimit',
  'network_mtu',
])

/** What a Docker executor setting corresponds to under `[runners.kubernetes]`, where there is an equivalent. */
export const DOCKER_TO_KUBERNETES: Record<string, string> = {
  memory: 'memory_limit',
  memory_reservation: 'memory_request',
  cpus: 'cpu_limit',
  dns: '[runners.kubernetes.dns_config] nameservers',
  dns_search: '[runners.kubernetes.dns_config] searches',
  extra_hosts: '[[runners.kubernetes.host_aliases]]',
  volumes: '[[runners.kubernetes.volumes.host_path]] or [[runners.kubernetes.volumes.pvc]]',
  tmpfs: '[[runners.kubernetes.volumes.empty_dir]] with medium = "Memory"',
  services_tmpfs: '[[runners.kubernetes.volumes.empty_dir]] with medium = "Memory"',
  shm_size: 'an [[runners.kubernetes.volumes.empty_dir]] with medium = "Memory" mounted at /dev/shm',
  security_opt: 'build_container_security_context',
  user: 'build_container_security_context run_as_user',
  services_privileged: 'service_container_security_context privileged',
  container_labels: 'pod_labels',
  runtime: 'runtime_class_name',
  wait_for_services_timeout: 'poll_timeout',
}

export const RUNNER: TableSpec = {
  display: '[[runners]]',
  keys: {
    ...fromData('RunnerConfig'),
    ...fromData('RunnerCredentials'),
    ...fromData('RunnerSettings', {
      kubernetes: KUBERNETES,
      cache: CACHE,
      custom_build_dir: plain('[runners.custom_build_dir]', {enabled: 'bool'}),
      docker: openTable('[runners.docker]'),
      ssh: openTable('[runners.ssh]'),
      parallels: openTable('[runners.parallels]'),
      virtualbox: openTable('[runners.virtualbox]'),
      machine: openTable('[runners.machine]'),
      custom: openTable('[runners.custom]'),
      autoscaler: openTable('[runners.autoscaler]'),
      referees: openTable('[runners.referees]'),
      instance: openTable('[runners.instance]'),
      monitoring: openTable('[runners.monitoring]'),
      artifact: openTable('[runners.artifact]'),
      experimental: openTable('[runners.experimental]'),
    }),
  },
}
RUNNER.keys.pre_clone_script.replacement = 'pre_get_sources_script'
RUNNER.keys.post_clone_script.replacement = 'post_get_sources_script'

export const SESSION_SERVER = plain('[session_server]', {listen_address: 'string', advertise_address: 'string', session_timeout: 'int'})

export const GLOBAL: TableSpec = {
  display: 'the global section',
  keys: fromData('Config', {
    runners: RUNNER,
    session_server: SESSION_SERVER,
    experimental: openTable('[experimental]'),
    machine: openTable('[machine]'),
  }),
}

/** Tables a misplaced key may belong to, in the order they are suggested. */
export const PLACES: Array<{spec: TableSpec; path: string}> = [
  {spec: GLOBAL, path: ''},
  {spec: RUNNER, path: '[[runners]]'},
  {spec: KUBERNETES, path: K},
  {spec: CACHE, path: '[runners.cache]'},
  {spec: S3, path: '[runners.cache.s3]'},
  {spec: SESSION_SERVER, path: '[session_server]'},
  {spec: KUBERNETES.keys.pod_security_context.table!, path: '[runners.kubernetes.pod_security_context]'},
  {spec: KUBERNETES.keys.build_container_security_context.table!, path: '[runners.kubernetes.build_container_security_context]'},
  {spec: KUBERNETES.keys.dns_config.table!, path: '[runners.kubernetes.dns_config]'},
]
