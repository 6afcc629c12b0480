import {isPlainObject} from '../../model/chart.js'
import {KeyIndex} from '../../model/suggest.js'
import {encodePointer} from '../../util/json-pointer.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'notAFlag' | 'wrongCase'

// Feature flags of runner 18.3 (helpers/featureflags/flags.go); unknown names are accepted and ignored.
const FEATURE_FLAGS = [
  'FF_NETWORK_PER_BUILD',
  'FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY',
  'FF_USE_DIRECT_DOWNLOAD',
  'FF_SKIP_NOOP_BUILD_STAGES',
  'FF_USE_FASTZIP',
  'FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR',
  'FF_ENABLE_BASH_EXIT_CODE_CHECK',
  'FF_USE_WINDOWS_LEGACY_PROCESS_STRATEGY',
  'FF_USE_NEW_BASH_EVAL_STRATEGY',
  'FF_USE_POWERSHELL_PATH_RESOLVER',
  'FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL',
  'FF_SCRIPT_SECTIONS',
  'FF_ENABLE_JOB_CLEANUP',
  'FF_KUBERNETES_HONOR_ENTRYPOINT',
  'FF_POSIXLY_CORRECT_ESCAPES',
  'FF_RESOLVE_FULL_TLS_CHAIN',
  'FF_DISABLE_POWERSHELL_STDIN',
  'FF_USE_POD_ACTIVE_DEADLINE_SECONDS',
  'FF_USE_ADVANCED_POD_SPEC_CONFIGURATION',
  'FF_SET_PERMISSIONS_BEFORE_CLEANUP',
  'FF_SECRET_RESOLVING_FAILS_IF_MISSING',
  'FF_PRINT_POD_EVENTS',
  'FF_USE_GIT_BUNDLE_URIS',
  'FF_USE_GIT_NATIVE_CLONE',
  'FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR',
  'FF_USE_INIT_WITH_DOCKER_EXECUTOR',
  'FF_LOG_IMAGES_CONFIGURED_FOR_JOB',
  'FF_USE_DOCKER_AUTOSCALER_DIAL_STDIO',
  'FF_CLEAN_UP_FAILED_CACHE_EXTRACT',
  'FF_USE_WINDOWS_JOB_OBJECT',
  'FF_TIMESTAMPS',
  'FF_DISABLE_AUTOMATIC_TOKEN_ROTATION',
  'FF_USE_LEGACY_GCS_CACHE_ADAPTER',
  'FF_DISABLE_UMASK_FOR_KUBERNETES_EXECUTOR',
  'FF_USE_LEGACY_S3_CACHE_ADAPTER',
  'FF_GIT_URLS_WITHOUT_TOKENS',
  'FF_WAIT_FOR_POD_TO_BE_REACHABLE',
  'FF_USE_NATIVE_STEPS',
  'FF_MASK_ALL_DEFAULT_TOKENS',
  'FF_EXPORT_HIGH_CARDINALITY_METRICS',
  'FF_USE_FLEETING_ACQUIRE_HEARTBEATS',
  'FF_USE_EXPONENTIAL_BACKOFF_STAGE_RETRY',
  'FF_USE_ADAPTIVE_REQUEST_CONCURRENCY',
  'FF_USE_GITALY_CORRELATION_ID',
  'FF_CMD_DISABLE_DELAYED_ERROR_LEVEL_EXPANSION',
  'FF_USE_LEGACY_BUILDS_DIR_FOR_DOCKER',
  'FF_USE_LEGACY_VOLUMES_MOUNTING_ORDER',
]

// Built on first use: most configs set no feature flag at all.
let featureFlagIndex: KeyIndex | undefined

/** A report for a flag name close to a real one but not equal to it, or undefined for a known or unrelated name. */
function typoReport(name: string, pointer: string): Report<MessageId> | undefined {
  if (FEATURE_FLAGS.includes(name)) return undefined
  featureFlagIndex ??= new KeyIndex(FEATURE_FLAGS)
  const guess = featureFlagIndex.closest(name)
  if (!guess) return undefined
  return {pointer, messageId: guess.toLowerCase() === name.toLowerCase() ? 'wrongCase' : 'notAFlag', data: {name, guess}}
}

/**
 * A feature flag name close to a real one but not equal to it is a typo the runner accepts silently. Names far from
 * every known flag are left alone: they may be flags of a newer runner.
 */
export default defineRule({
  id: 'toml-feature-flag-typo',
  target: 'config-toml',
  messages: {
    notAFlag: '{{name}} is not a feature flag, so it changes nothing. Did you mean {{guess}}?',
    wrongCase: 'Feature flag names are case-sensitive: {{name}} is ignored; write {{guess}}.',
  },
  check: ({runners}) =>
    runners.flatMap((runner) => {
      const flags = isPlainObject(runner.settings.feature_flags) ? runner.settings.feature_flags : {}
      const fromTable = Object.keys(flags).map((name) => typoReport(name, `${runner.pointer}/feature_flags${encodePointer([name])}`))
      const fromEnvironment = runner.environment.map((entry, i) => {
        const name = /^\s*(FF_[A-Za-z0-9_]+)\s*=/i.exec(entry)?.[1]
        return name ? typoReport(name, `${runner.pointer}/environment/${i}`) : undefined
      })
      return [...fromTable, ...fromEnvironment].filter((r): r is Report<MessageId> => r !== undefined)
    }),
})
