/*
 * Which `[runners.kubernetes]` settings the mirror pod carries, and why the others are left out. docs/probe-mirror-pod.md
 * holds the same table for people; test/probe/cluster/mirror-pod-fidelity.test.ts reads both and fails when they part,
 * and removes each carried setting from a config that sets them all to prove the pod changes.
 */

/** Setting (a key of `[runners.kubernetes]`, dotted for nested tables) → how the mirror pod carries it. */
export const MIRRORED_SETTINGS: Readonly<Record<string, string>> = {
  namespace: 'The pod is created there (unless -n says otherwise).',
  privileged: 'securityContext.privileged of every container, unless its own security context says otherwise.',
  allow_privilege_escalation:
    'securityContext.allowPrivilegeEscalation of every container, unless its own security context says otherwise.',
  cap_add: 'Added capabilities of every container (NET_RAW stays dropped unless added back).',
  cap_drop: 'Dropped capabilities of every container, after the default NET_RAW.',
  build_container_security_context:
    'The build container securityContext: capabilities, privileged, run_as_*, read-only root, ' +
    'proc_mount, SELinux type, seccomp and AppArmor profiles.',
  helper_container_security_context: 'The helper container securityContext, the same fields.',
  service_container_security_context: 'Every service container securityContext (dind included), the same fields.',
  init_permissions_container_security_context: 'The init-permissions container securityContext, the same fields.',
  pod_security_context: 'spec.securityContext: fs_group, run_as_*, supplemental_groups, SELinux type, seccomp and AppArmor profiles.',
  affinity: 'spec.affinity: node affinity, pod affinity and pod anti-affinity with every term.',
  node_selector: 'spec.nodeSelector (values with CI variables are left out).',
  node_tolerations: 'spec.tolerations, key=value as Equal and key as Exists.',
  runtime_class_name: 'spec.runtimeClassName.',
  priority_class_name: 'spec.priorityClassName.',
  scheduler_name: 'spec.schedulerName.',
  service_account: 'spec.serviceAccountName.',
  automount_service_account_token: 'spec.automountServiceAccountToken (false when unset, so the probe holds no token).',
  image_pull_secrets: 'spec.imagePullSecrets.',
  use_service_account_image_pull_secrets: 'spec.imagePullSecrets left empty, so the ServiceAccount secrets apply.',
  pull_policy: 'imagePullPolicy of every container (the first allowed policy).',
  pod_termination_grace_period_seconds: 'spec.terminationGracePeriodSeconds.',
  pod_labels:
    'metadata.labels, without keys in runner.gitlab.com (the runner refuses those), so NetworkPolicies select the pod as a job pod.',
  pod_annotations: 'metadata.annotations (values with CI variables are left out).',
  dns_policy: 'spec.dnsPolicy.',
  dns_config: 'spec.dnsConfig: nameservers, searches and options.',
  host_aliases: 'spec.hostAliases after the one for service aliases.',
  services:
    'One container per service, named as the runner names them, with its entrypoint and command; the dind one gets DOCKER_TLS_CERTDIR.',
  helper_image: 'The helper and init-permissions containers run this image, so a pull failure shows.',
  helper_image_flavor: 'The default helper image tag (ubuntu-x86_64-v…) when helper_image is unset.',
  cpu_request: 'Build container resources.requests.cpu; cpu_limit, memory_*, ephemeral_storage_* alike.',
  helper_cpu_request: 'Helper and init-permissions containers resources; the other helper_* resources alike.',
  service_cpu_request: 'Every service container resources; the other service_* resources alike.',
  pod_cpu_request: 'Pod-level spec.resources; pod_cpu_limit, pod_memory_request and pod_memory_limit alike.',
  'volumes.host_path': 'hostPath volumes, mounted in every container where the runner mounts them.',
  'volumes.secret': 'secret volumes with their items, mounted in every container.',
  'volumes.pvc': 'persistentVolumeClaim volumes (one volume per claim), mounted in every container.',
  'volumes.config_map': 'configMap volumes with their items (a daemon.json, say), mounted in every container.',
  'volumes.empty_dir': 'emptyDir volumes with medium and size limit, mounted in every container.',
  'volumes.csi': 'csi volumes with driver, fs type and attributes, mounted in every container.',
  'volumes.nfs': 'nfs volumes, mounted in every container.',
  builds_dir: 'The repo emptyDir at the builds directory, unless a configured volume is mounted there.',
  logs_base_dir: 'Where the logs emptyDir is mounted.',
  scripts_base_dir: 'Where the scripts emptyDir is mounted.',
  pod_spec:
    'Applied as strategic, merge or json patches when FF_USE_ADVANCED_POD_SPEC_CONFIGURATION is ' +
    'on; a patch that fails stops the probe as it fails the job.',
  image: 'A kaniko or buildah job image gives registry reachability checks instead of Docker ones.',
}

/** Setting → why the mirror pod leaves it out. */
export const UNMIRRORED_SETTINGS: Readonly<Record<string, string>> = {
  '*_overwrite_allowed':
    'Overwrites come from job variables such as KUBERNETES_CPU_REQUEST; pass them with --var and ' +
    'the configured values apply as the runner would validate them.',
  '*_overwrite_max_allowed': 'The same: limits on job-variable overwrites, not pod fields.',
  poll_interval: 'How the runner waits for the pod, not part of the pod; the probe has --poll-interval and --start-timeout.',
  poll_timeout: 'The same; pass --start-timeout to match it.',
  cleanup_grace_period_seconds: 'How the runner deletes the pod; the probe always deletes its pod at once.',
  cleanup_resources_timeout: 'The same.',
  bearer_token: 'A credential for the runner itself; the probe uses the kubeconfig (or --as).',
  host: 'The runner’s API server address; the probe uses the kubeconfig.',
  cert_file: 'The same.',
  key_file: 'The same.',
  ca_file: 'The same.',
  container_lifecycle: 'Hooks run commands from the job image; in a probe pod they would run against the Node image and prove nothing.',
  terminationGracePeriodSeconds: 'The deprecated key; pod_termination_grace_period_seconds is the one the runner reads for the pod.',
  resource_availability_check_max_attempts:
    'Waiting for the ServiceAccount and pull secrets before the pod is created; the dry run and the create show the same refusal.',
  print_pod_warning_events: 'Logging only.',
  pod_disruption_budget: 'A separate object the probe does not create.',
}
