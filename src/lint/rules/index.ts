// Generated from rules/*.yaml by scripts/generate-rule-index.mjs (run by `npm run build`): do not edit.
import type {RuleModule} from '../define-rule.js'
import rule_ci_dind_default_tls_without_setup from './ci-dind-default-tls-without-setup.js'
import rule_ci_dind_host_not_a_service from './ci-dind-host-not-a-service.js'
import rule_ci_dind_runner_not_privileged from './ci-dind-runner-not-privileged.js'
import rule_ci_dind_tls_port_mismatch from './ci-dind-tls-port-mismatch.js'
import rule_ci_dind_tls_without_cert_volume from './ci-dind-tls-without-cert-volume.js'
import rule_cluster_capacity from './cluster-capacity.js'
import rule_cluster_drift from './cluster-drift.js'
import rule_cluster_limitrange from './cluster-limitrange.js'
import rule_cluster_podsecurity from './cluster-podsecurity.js'
import rule_cluster_quota from './cluster-quota.js'
import rule_cluster_runner_rbac from './cluster-runner-rbac.js'
import rule_helm_template_not_evaluated from './helm-template-not-evaluated.js'
import rule_suppression_without_reason from './suppression-without-reason.js'
import rule_toml_capacity_exceeded from './toml-capacity-exceeded.js'
import rule_toml_concurrent_below_runners from './toml-concurrent-below-runners.js'
import rule_toml_container_privileged from './toml-container-privileged.js'
import rule_toml_container_socket_mounted from './toml-container-socket-mounted.js'
import rule_toml_dangerous_capabilities from './toml-dangerous-capabilities.js'
import rule_toml_dind_docker_host_localhost from './toml-dind-docker-host-localhost.js'
import rule_toml_dind_service_not_privileged from './toml-dind-service-not-privileged.js'
import rule_toml_dind_tls_disabled from './toml-dind-tls-disabled.js'
import rule_toml_dind_tls_port_mismatch from './toml-dind-tls-port-mismatch.js'
import rule_toml_dind_tls_without_cert_volume from './toml-dind-tls-without-cert-volume.js'
import rule_toml_dns_none_without_nameservers from './toml-dns-none-without-nameservers.js'
import rule_toml_dns_policy_invalid from './toml-dns-policy-invalid.js'
import rule_toml_docker_host_path_volume from './toml-docker-host-path-volume.js'
import rule_toml_docker_image_unpinned from './toml-docker-image-unpinned.js'
import rule_toml_docker_key_under_kubernetes from './toml-docker-key-under-kubernetes.js'
import rule_toml_docker_network_host from './toml-docker-network-host.js'
import rule_toml_docker_no_resource_limits from './toml-docker-no-resource-limits.js'
import rule_toml_docker_privileged_without_allowlist from './toml-docker-privileged-without-allowlist.js'
import rule_toml_docker_privileged from './toml-docker-privileged.js'
import rule_toml_docker_socket_mounted from './toml-docker-socket-mounted.js'
import rule_toml_empty_dir_size_invalid from './toml-empty-dir-size-invalid.js'
import rule_toml_environment_entry_malformed from './toml-environment-entry-malformed.js'
import rule_toml_feature_flag_obsolete from './toml-feature-flag-obsolete.js'
import rule_toml_feature_flag_typo from './toml-feature-flag-typo.js'
import rule_toml_global_key_in_template from './toml-global-key-in-template.js'
import rule_toml_helper_image_flavor_invalid from './toml-helper-image-flavor-invalid.js'
import rule_toml_helper_image_version_mismatch from './toml-helper-image-version-mismatch.js'
import rule_toml_helper_memory_too_low from './toml-helper-memory-too-low.js'
import rule_toml_image_unpinned from './toml-image-unpinned.js'
import rule_toml_insecure_http from './toml-insecure-http.js'
import rule_toml_invalid_quantity from './toml-invalid-quantity.js'
import rule_toml_jobs_in_system_namespace from './toml-jobs-in-system-namespace.js'
import rule_toml_jobs_use_manager_service_account from './toml-jobs-use-manager-service-account.js'
import rule_toml_key_newer_than_runner from './toml-key-newer-than-runner.js'
import rule_toml_limit_above_concurrent from './toml-limit-above-concurrent.js'
import rule_toml_misplaced_key from './toml-misplaced-key.js'
import rule_toml_missing_resources from './toml-missing-resources.js'
import rule_toml_namespace_overwrite_matches_system from './toml-namespace-overwrite-matches-system.js'
import rule_toml_namespace_overwrite_unanchored from './toml-namespace-overwrite-unanchored.js'
import rule_toml_namespace_overwrite_without_cluster_role from './toml-namespace-overwrite-without-cluster-role.js'
import rule_toml_overwrite_max_below_default from './toml-overwrite-max-below-default.js'
import rule_toml_overwrite_regex_invalid from './toml-overwrite-regex-invalid.js'
import rule_toml_pod_overwrite_unanchored from './toml-pod-overwrite-unanchored.js'
import rule_toml_pod_spec_patch_invalid from './toml-pod-spec-patch-invalid.js'
import rule_toml_pod_spec_without_feature_flag from './toml-pod-spec-without-feature-flag.js'
import rule_toml_poll_interval_above_timeout from './toml-poll-interval-above-timeout.js'
import rule_toml_poll_timeout_too_low from './toml-poll-timeout-too-low.js'
import rule_toml_privilege_escalation_allowed from './toml-privilege-escalation-allowed.js'
import rule_toml_privileged_without_image_allowlist from './toml-privileged-without-image-allowlist.js'
import rule_toml_privileged_without_node_isolation from './toml-privileged-without-node-isolation.js'
import rule_toml_proc_mount_invalid from './toml-proc-mount-invalid.js'
import rule_toml_pull_policy_if_not_present from './toml-pull-policy-if-not-present.js'
import rule_toml_pull_policy_invalid from './toml-pull-policy-invalid.js'
import rule_toml_pull_policy_not_allowed from './toml-pull-policy-not-allowed.js'
import rule_toml_pvc_builds_dir_shared from './toml-pvc-builds-dir-shared.js'
import rule_toml_removed_key from './toml-removed-key.js'
import rule_toml_request_above_limit from './toml-request-above-limit.js'
import rule_toml_request_concurrency_above_limit from './toml-request-concurrency-above-limit.js'
import rule_toml_request_concurrency_bottleneck from './toml-request-concurrency-bottleneck.js'
import rule_toml_runner_duplicate from './toml-runner-duplicate.js'
import rule_toml_secret_in_configmap from './toml-secret-in-configmap.js'
import rule_toml_sensitive_host_path from './toml-sensitive-host-path.js'
import rule_toml_service_account_overwrite_unanchored from './toml-service-account-overwrite-unanchored.js'
import rule_toml_service_image_unpinned from './toml-service-image-unpinned.js'
import rule_toml_shell_invalid from './toml-shell-invalid.js'
import rule_toml_template_runner_count from './toml-template-runner-count.js'
import rule_toml_token_in_file from './toml-token-in-file.js'
import rule_toml_toleration_effect_invalid from './toml-toleration-effect-invalid.js'
import rule_toml_unknown_key from './toml-unknown-key.js'
import rule_toml_unknown_table from './toml-unknown-table.js'
import rule_toml_unrendered_placeholder from './toml-unrendered-placeholder.js'
import rule_toml_url_placeholder from './toml-url-placeholder.js'
import rule_toml_value_wrong_type from './toml-value-wrong-type.js'
import rule_values_chart_version_unpinned from './values-chart-version-unpinned.js'
import rule_values_config_misplaced from './values-config-misplaced.js'
import rule_values_deprecated_rbac_fields from './values-deprecated-rbac-fields.js'
import rule_values_gitlab_url_placeholder from './values-gitlab-url-placeholder.js'
import rule_values_grace_below_shutdown_timeout from './values-grace-below-shutdown-timeout.js'
import rule_values_hpa_max_replicas_missing from './values-hpa-max-replicas-missing.js'
import rule_values_image_string from './values-image-string.js'
import rule_values_insecure_http from './values-insecure-http.js'
import rule_values_legacy_key_ignored from './values-legacy-key-ignored.js'
import rule_values_legacy_key_overrides_config from './values-legacy-key-overrides-config.js'
import rule_values_legacy_privileged from './values-legacy-privileged.js'
import rule_values_manager_image_unpinned from './values-manager-image-unpinned.js'
import rule_values_manager_security_context_weakened from './values-manager-security-context-weakened.js'
import rule_values_no_gitlab_url from './values-no-gitlab-url.js'
import rule_values_no_service_account from './values-no-service-account.js'
import rule_values_no_token_source from './values-no-token-source.js'
import rule_values_plain_runner_token from './values-plain-runner-token.js'
import rule_values_pod_security_policy from './values-pod-security-policy.js'
import rule_values_rbac_wildcard from './values-rbac-wildcard.js'
import rule_values_registration_token from './values-registration-token.js'
import rule_values_reserved_registration_args from './values-reserved-registration-args.js'
import rule_values_security_context_wrong_level from './values-security-context-wrong-level.js'
import rule_values_service_monitor_inert from './values-service-monitor-inert.js'
import rule_values_session_server_exposed from './values-session-server-exposed.js'
import rule_values_session_server_with_replicas from './values-session-server-with-replicas.js'
import rule_values_token_kind_mismatch from './values-token-kind-mismatch.js'
import rule_values_token_placeholder from './values-token-placeholder.js'
import rule_values_unknown_key from './values-unknown-key.js'
import rule_values_unregister_lifecycle_conflict from './values-unregister-lifecycle-conflict.js'
import rule_values_unrendered_placeholder from './values-unrendered-placeholder.js'

/** The code of every rule whose metadata has no JSON-Schema check, by rule id. */
export const RULE_MODULES: Readonly<Record<string, RuleModule>> = {
  'ci-dind-default-tls-without-setup': rule_ci_dind_default_tls_without_setup,
  'ci-dind-host-not-a-service': rule_ci_dind_host_not_a_service,
  'ci-dind-runner-not-privileged': rule_ci_dind_runner_not_privileged,
  'ci-dind-tls-port-mismatch': rule_ci_dind_tls_port_mismatch,
  'ci-dind-tls-without-cert-volume': rule_ci_dind_tls_without_cert_volume,
  'cluster-capacity': rule_cluster_capacity,
  'cluster-drift': rule_cluster_drift,
  'cluster-limitrange': rule_cluster_limitrange,
  'cluster-podsecurity': rule_cluster_podsecurity,
  'cluster-quota': rule_cluster_quota,
  'cluster-runner-rbac': rule_cluster_runner_rbac,
  'helm-template-not-evaluated': rule_helm_template_not_evaluated,
  'suppression-without-reason': rule_suppression_without_reason,
  'toml-capacity-exceeded': rule_toml_capacity_exceeded,
  'toml-concurrent-below-runners': rule_toml_concurrent_below_runners,
  'toml-container-privileged': rule_toml_container_privileged,
  'toml-container-socket-mounted': rule_toml_container_socket_mounted,
  'toml-dangerous-capabilities': rule_toml_dangerous_capabilities,
  'toml-dind-docker-host-localhost': rule_toml_dind_docker_host_localhost,
  'toml-dind-service-not-privileged': rule_toml_dind_service_not_privileged,
  'toml-dind-tls-disabled': rule_toml_dind_tls_disabled,
  'toml-dind-tls-port-mismatch': rule_toml_dind_tls_port_mismatch,
  'toml-dind-tls-without-cert-volume': rule_toml_dind_tls_without_cert_volume,
  'toml-dns-none-without-nameservers': rule_toml_dns_none_without_nameservers,
  'toml-dns-policy-invalid': rule_toml_dns_policy_invalid,
  'toml-docker-host-path-volume': rule_toml_docker_host_path_volume,
  'toml-docker-image-unpinned': rule_toml_docker_image_unpinned,
  'toml-docker-key-under-kubernetes': rule_toml_docker_key_under_kubernetes,
  'toml-docker-network-host': rule_toml_docker_network_host,
  'toml-docker-no-resource-limits': rule_toml_docker_no_resource_limits,
  'toml-docker-privileged-without-allowlist': rule_toml_docker_privileged_without_allowlist,
  'toml-docker-privileged': rule_toml_docker_privileged,
  'toml-docker-socket-mounted': rule_toml_docker_socket_mounted,
  'toml-empty-dir-size-invalid': rule_toml_empty_dir_size_invalid,
  'toml-environment-entry-malformed': rule_toml_environment_entry_malformed,
  'toml-feature-flag-obsolete': rule_toml_feature_flag_obsolete,
  'toml-feature-flag-typo': rule_toml_feature_flag_typo,
  'toml-global-key-in-template': rule_toml_global_key_in_template,
  'toml-helper-image-flavor-invalid': rule_toml_helper_image_flavor_invalid,
  'toml-helper-image-version-mismatch': rule_toml_helper_image_version_mismatch,
  'toml-helper-memory-too-low': rule_toml_helper_memory_too_low,
  'toml-image-unpinned': rule_toml_image_unpinned,
  'toml-insecure-http': rule_toml_insecure_http,
  'toml-invalid-quantity': rule_toml_invalid_quantity,
  'toml-jobs-in-system-namespace': rule_toml_jobs_in_system_namespace,
  'toml-jobs-use-manager-service-account': rule_toml_jobs_use_manager_service_account,
  'toml-key-newer-than-runner': rule_toml_key_newer_than_runner,
  'toml-limit-above-concurrent': rule_toml_limit_above_concurrent,
  'toml-misplaced-key': rule_toml_misplaced_key,
  'toml-missing-resources': rule_toml_missing_resources,
  'toml-namespace-overwrite-matches-system': rule_toml_namespace_overwrite_matches_system,
  'toml-namespace-overwrite-unanchored': rule_toml_namespace_overwrite_unanchored,
  'toml-namespace-overwrite-without-cluster-role': rule_toml_namespace_overwrite_without_cluster_role,
  'toml-overwrite-max-below-default': rule_toml_overwrite_max_below_default,
  'toml-overwrite-regex-invalid': rule_toml_overwrite_regex_invalid,
  'toml-pod-overwrite-unanchored': rule_toml_pod_overwrite_unanchored,
  'toml-pod-spec-patch-invalid': rule_toml_pod_spec_patch_invalid,
  'toml-pod-spec-without-feature-flag': rule_toml_pod_spec_without_feature_flag,
  'toml-poll-interval-above-timeout': rule_toml_poll_interval_above_timeout,
  'toml-poll-timeout-too-low': rule_toml_poll_timeout_too_low,
  'toml-privilege-escalation-allowed': rule_toml_privilege_escalation_allowed,
  'toml-privileged-without-image-allowlist': rule_toml_privileged_without_image_allowlist,
  'toml-privileged-without-node-isolation': rule_toml_privileged_without_node_isolation,
  'toml-proc-mount-invalid': rule_toml_proc_mount_invalid,
  'toml-pull-policy-if-not-present': rule_toml_pull_policy_if_not_present,
  'toml-pull-policy-invalid': rule_toml_pull_policy_invalid,
  'toml-pull-policy-not-allowed': rule_toml_pull_policy_not_allowed,
  'toml-pvc-builds-dir-shared': rule_toml_pvc_builds_dir_shared,
  'toml-removed-key': rule_toml_removed_key,
  'toml-request-above-limit': rule_toml_request_above_limit,
  'toml-request-concurrency-above-limit': rule_toml_request_concurrency_above_limit,
  'toml-request-concurrency-bottleneck': rule_toml_request_concurrency_bottleneck,
  'toml-runner-duplicate': rule_toml_runner_duplicate,
  'toml-secret-in-configmap': rule_toml_secret_in_configmap,
  'toml-sensitive-host-path': rule_toml_sensitive_host_path,
  'toml-service-account-overwrite-unanchored': rule_toml_service_account_overwrite_unanchored,
  'toml-service-image-unpinned': rule_toml_service_image_unpinned,
  'toml-shell-invalid': rule_toml_shell_invalid,
  'toml-template-runner-count': rule_toml_template_runner_count,
  'toml-token-in-file': rule_toml_token_in_file,
  'toml-toleration-effect-invalid': rule_toml_toleration_effect_invalid,
  'toml-unknown-key': rule_toml_unknown_key,
  'toml-unknown-table': rule_toml_unknown_table,
  'toml-unrendered-placeholder': rule_toml_unrendered_placeholder,
  'toml-url-placeholder': rule_toml_url_placeholder,
  'toml-value-wrong-type': rule_toml_value_wrong_type,
  'values-chart-version-unpinned': rule_values_chart_version_unpinned,
  'values-config-misplaced': rule_values_config_misplaced,
  'values-deprecated-rbac-fields': rule_values_deprecated_rbac_fields,
  'values-gitlab-url-placeholder': rule_values_gitlab_url_placeholder,
  'values-grace-below-shutdown-timeout': rule_values_grace_below_shutdown_timeout,
  'values-hpa-max-replicas-missing': rule_values_hpa_max_replicas_missing,
  'values-image-string': rule_values_image_string,
  'values-insecure-http': rule_values_insecure_http,
  'values-legacy-key-ignored': rule_values_legacy_key_ignored,
  'values-legacy-key-overrides-config': rule_values_legacy_key_overrides_config,
  'values-legacy-privileged': rule_values_legacy_privileged,
  'values-manager-image-unpinned': rule_values_manager_image_unpinned,
  'values-manager-security-context-weakened': rule_values_manager_security_context_weakened,
  'values-no-gitlab-url': rule_values_no_gitlab_url,
  'values-no-service-account': rule_values_no_service_account,
  'values-no-token-source': rule_values_no_token_source,
  'values-plain-runner-token': rule_values_plain_runner_token,
  'values-pod-security-policy': rule_values_pod_security_policy,
  'values-rbac-wildcard': rule_values_rbac_wildcard,
  'values-registration-token': rule_values_registration_token,
  'values-reserved-registration-args': rule_values_reserved_registration_args,
  'values-security-context-wrong-level': rule_values_security_context_wrong_level,
  'values-service-monitor-inert': rule_values_service_monitor_inert,
  'values-session-server-exposed': rule_values_session_server_exposed,
  'values-session-server-with-replicas': rule_values_session_server_with_replicas,
  'values-token-kind-mismatch': rule_values_token_kind_mismatch,
  'values-token-placeholder': rule_values_token_placeholder,
  'values-unknown-key': rule_values_unknown_key,
  'values-unregister-lifecycle-conflict': rule_values_unregister_lifecycle_conflict,
  'values-unrendered-placeholder': rule_values_unrendered_placeholder,
}
