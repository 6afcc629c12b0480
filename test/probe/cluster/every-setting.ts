import {parse as parseToml} from 'smol-toml'
import type {RunnerSettings} from '../../../src/probe/cluster/mirror-pod.js'

/** A `[runners.kubernetes]` table that sets every setting of MIRRORED_SETTINGS (and a few neighbours). */
export const EVERY_SETTING_TOML = `
namespace = "ci-jobs"
privileged = true
allow_privilege_escalation = true
cap_add = ["SYS_PTRACE"]
cap_drop = ["MKNOD"]
image = "gcr.io/kaniko-project/executor:v1.23.2-debug"
runtime_class_name = "gvisor"
priority_class_name = "ci-high"
scheduler_name = "default-scheduler"
service_account = "runner-jobs"
automount_service_account_token = true
image_pull_secrets = ["regcred"]
use_service_account_image_pull_secrets = true
pull_policy = ["if-not-present", "always"]
pod_termination_grace_period_seconds = 7
helper_image_flavor = "ubuntu"
logs_base_dir = "/var/tmp"
scripts_base_dir = "/opt"
cpu_request = "500m"
cpu_limit = "1"
memory_request = "256Mi"
helper_cpu_request = "50m"
helper_memory_limit = "128Mi"
service_cpu_request = "250m"
service_memory_limit = "1Gi"
pod_cpu_request = "2"
pod_memory_limit = "3Gi"
dns_policy = "cluster-first"
[node_selector]
"kubernetes.io/os" = "linux"
[node_tolerations]
"dedicated=ci" = "NoSchedule"
[pod_labels]
"team" = "platform"
"project.runner.gitlab.com/id" = "spoofed"
[pod_annotations]
"example.com/owner" = "ci"
[dns_config]
nameservers = ["127.0.0.53"]
searches = ["corp.example"]
[[dns_config.options]]
name = "ndots"
value = "2"
[[host_aliases]]
ip = "127.0.0.2"
hostnames = ["registry.local"]
[build_container_security_context]
privileged = false
run_as_user = 1000
run_as_non_root = true
read_only_root_filesystem = true
selinux_type = "container_t"
[build_container_security_context.seccomp_profile]
type = "RuntimeDefault"
[build_container_security_context.app_armor_profile]
type = "Localhost"
localhost_profile = "ci-build"
[helper_container_security_context]
run_as_user = 2000
[helper_container_security_context.capabilities]
drop = ["ALL"]
[service_container_security_context]
[service_container_security_context.seccomp_profile]
type = "Unconfined"
[init_permissions_container_security_context]
run_as_user = 0
[pod_security_context]
fs_group = 65533
run_as_group = 65533
supplemental_groups = [44]
selinux_type = "spc_t"
[pod_security_context.seccomp_profile]
type = "RuntimeDefault"
[affinity.node_affinity.required_during_scheduling_ignored_during_execution]
[[affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms]]
[[affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_terms.match_expressions]]
key = "kubernetes.io/os"
operator = "In"
values = ["linux"]
[[affinity.node_affinity.preferred_during_scheduling_ignored_during_execution]]
weight = 10
[affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference]
[[affinity.node_affinity.preferred_during_scheduling_ignored_during_execution.preference.match_expressions]]
key = "pool"
operator = "In"
values = ["ci"]
[[affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution]]
weight = 50
[affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution.pod_affinity_term]
topology_key = "kubernetes.io/hostname"
[affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution.pod_affinity_term.label_selector]
match_labels = {team = "platform"}
[[affinity.pod_affinity.required_during_scheduling_ignored_during_execution]]
topology_key = "topology.kubernetes.io/zone"
namespaces = ["ci-jobs"]
[affinity.pod_affinity.required_during_scheduling_ignored_during_execution.label_selector]
[[affinity.pod_affinity.required_during_scheduling_ignored_during_execution.label_selector.match_expressions]]
key = "app"
operator = "Exists"
[[services]]
name = "docker:27-dind"
alias = "docker"
command = ["--mtu=1450"]
[[services]]
name = "postgres:16"
[[volumes.host_path]]
name = "docker-daemon-json"
mount_path = "/etc/docker/daemon.json"
host_path = "/etc/ci/daemon.json"
read_only = true
[[volumes.secret]]
name = "registry-ca"
mount_path = "/etc/ssl/registry"
read_only = true
[volumes.secret.items]
"ca.crt" = "ca.pem"
[[volumes.pvc]]
name = "ci-cache"
mount_path = "/cache"
[[volumes.config_map]]
name = "dind-config"
mount_path = "/etc/docker/conf"
[volumes.config_map.items]
"daemon.json" = "daemon.json"
[[volumes.empty_dir]]
name = "docker-certs"
mount_path = "/certs/client"
medium = "Memory"
size_limit = "16Mi"
[[volumes.csi]]
name = "secrets-store"
mount_path = "/mnt/secrets"
driver = "secrets-store.csi.k8s.io"
read_only = true
[volumes.csi.volume_attributes]
secretProviderClass = "ci"
[[volumes.nfs]]
name = "shared"
mount_path = "/shared"
server = "127.0.0.9"
path = "/exports/ci"
[[pod_spec]]
name = "build-env"
patch = '{"containers": [{"name": "build", "env": [{"name": "PATCHED_BY", "value": "strategic"}]}]}'
[[pod_spec]]
name = "share-pid"
patch_type = "merge"
patch = "shareProcessNamespace: true"
[[pod_spec]]
name = "extra-toleration"
patch_type = "json"
patch = '[{"op": "add", "path": "/tolerations/-", "value": {"key": "spot", "operator": "Exists"}}]'
`

export function everySettingRunner(): RunnerSettings {
  return {
    name: 'full',
    executor: 'kubernetes',
    url: 'https://gitlab.example.com',
    environment: [
      'DOCKER_HOST=tcp://docker:2376',
      'DOCKER_TLS_CERTDIR=/certs',
      'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION=true',
      'API_TOKEN=do-not-leak',
    ],
    kubernetes: parseToml(EVERY_SETTING_TOML) as Record<string, unknown>,
    settings: {builds_dir: '/builds'},
  }
}
