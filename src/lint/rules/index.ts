// Generated from rules/*.yaml by scripts/generate-rule-index.mjs (run by `npm run build`): do not edit.
import type {RuleModule} from '../define-rule.js'
import rule_toml_feature_flag_typo from './toml-feature-flag-typo.js'
import rule_toml_global_key_in_template from './toml-global-key-in-template.js'
import rule_toml_image_unpinned from './toml-image-unpinned.js'
import rule_toml_limit_above_concurrent from './toml-limit-above-concurrent.js'
import rule_toml_namespace_overwrite_without_cluster_role from './toml-namespace-overwrite-without-cluster-role.js'
import rule_toml_request_concurrency_above_limit from './toml-request-concurrency-above-limit.js'
import rule_toml_service_image_unpinned from './toml-service-image-unpinned.js'
import rule_toml_template_runner_count from './toml-template-runner-count.js'
import rule_values_deprecated_rbac_fields from './values-deprecated-rbac-fields.js'
import rule_values_grace_below_shutdown_timeout from './values-grace-below-shutdown-timeout.js'
import rule_values_hpa_max_replicas_missing from './values-hpa-max-replicas-missing.js'
import rule_values_image_string from './values-image-string.js'
import rule_values_legacy_key_ignored from './values-legacy-key-ignored.js'
import rule_values_legacy_key_overrides_config from './values-legacy-key-overrides-config.js'
import rule_values_manager_image_unpinned from './values-manager-image-unpinned.js'
import rule_values_manager_security_context_weakened from './values-manager-security-context-weakened.js'
import rule_values_no_gitlab_url from './values-no-gitlab-url.js'
import rule_values_no_service_account from './values-no-service-account.js'
import rule_values_pod_security_policy from './values-pod-security-policy.js'
import rule_values_rbac_wildcard from './values-rbac-wildcard.js'
import rule_values_reserved_registration_args from './values-reserved-registration-args.js'
import rule_values_service_monitor_inert from './values-service-monitor-inert.js'
import rule_values_session_server_exposed from './values-session-server-exposed.js'
import rule_values_session_server_with_replicas from './values-session-server-with-replicas.js'
import rule_values_unknown_key from './values-unknown-key.js'
import rule_values_unregister_lifecycle_conflict from './values-unregister-lifecycle-conflict.js'

/** The code of every rule whose metadata has no JSON-Schema check, by rule id. */
export const RULE_MODULES: Readonly<Record<string, RuleModule>> = {
  'toml-feature-flag-typo': rule_toml_feature_flag_typo,
  'toml-global-key-in-template': rule_toml_global_key_in_template,
  'toml-image-unpinned': rule_toml_image_unpinned,
  'toml-limit-above-concurrent': rule_toml_limit_above_concurrent,
  'toml-namespace-overwrite-without-cluster-role': rule_toml_namespace_overwrite_without_cluster_role,
  'toml-request-concurrency-above-limit': rule_toml_request_concurrency_above_limit,
  'toml-service-image-unpinned': rule_toml_service_image_unpinned,
  'toml-template-runner-count': rule_toml_template_runner_count,
  'values-deprecated-rbac-fields': rule_values_deprecated_rbac_fields,
  'values-grace-below-shutdown-timeout': rule_values_grace_below_shutdown_timeout,
  'values-hpa-max-replicas-missing': rule_values_hpa_max_replicas_missing,
  'values-image-string': rule_values_image_string,
  'values-legacy-key-ignored': rule_values_legacy_key_ignored,
  'values-legacy-key-overrides-config': rule_values_legacy_key_overrides_config,
  'values-manager-image-unpinned': rule_values_manager_image_unpinned,
  'values-manager-security-context-weakened': rule_values_manager_security_context_weakened,
  'values-no-gitlab-url': rule_values_no_gitlab_url,
  'values-no-service-account': rule_values_no_service_account,
  'values-pod-security-policy': rule_values_pod_security_policy,
  'values-rbac-wildcard': rule_values_rbac_wildcard,
  'values-reserved-registration-args': rule_values_reserved_registration_args,
  'values-service-monitor-inert': rule_values_service_monitor_inert,
  'values-session-server-exposed': rule_values_session_server_exposed,
  'values-session-server-with-replicas': rule_values_session_server_with_replicas,
  'values-unknown-key': rule_values_unknown_key,
  'values-unregister-lifecycle-conflict': rule_values_unregister_lifecycle_conflict,
}
