import {
  effectivePullPolicies,
  firstKubernetesPullPolicy,
  isRunnerPullPolicy,
  meantPullPolicy,
} from '../../src/model/executor/pull-policy.js'

// common/config.go GetPullPolicies / ConvertFromDockerPullPolicy, helpers/pull_policies ComputeEffectivePullPolicies.

test('runner names only, compared exactly', () => {
  expect(['always', 'never', 'if-not-present'].every(isRunnerPullPolicy)).toBe(true)
  expect(['Always', 'IfNotPresent', 'if_not_present', 'constructor'].some(isRunnerPullPolicy)).toBe(false)
  expect(meantPullPolicy('IfNotPresent')).toBe('if-not-present')
  expect(meantPullPolicy('latest')).toBeUndefined()
})

test('pull_policy is a fallback chain narrowed to allowed_pull_policies', () => {
  expect(effectivePullPolicies('always', undefined)).toEqual(['always'])
  expect(effectivePullPolicies(['if-not-present', 'always'], [])).toEqual(['if-not-present', 'always'])
  expect(effectivePullPolicies(['if-not-present', 'always'], ['always', 'never'])).toEqual(['always'])
})

test('the runner fails jobs when nothing allowed is left or a name is unknown', () => {
  expect(effectivePullPolicies(['if-not-present'], ['always'])).toBeUndefined()
  // An unset pull_policy is "" (the cluster default), which allowed_pull_policies must list to allow it.
  expect(effectivePullPolicies(undefined, ['always'])).toBeUndefined()
  expect(effectivePullPolicies(undefined, ['', 'always'])).toEqual([''])
  expect(effectivePullPolicies('IfNotPresent', undefined)).toBeUndefined()
  expect(effectivePullPolicies('always', ['Always'])).toBeUndefined()
})

test('firstKubernetesPullPolicy: the imagePullPolicy of the first attempt', () => {
  // Decision: the probe took the first pull_policy whatever allowed_pull_policies said; the runner narrows first.
  expect(firstKubernetesPullPolicy(['if-not-present', 'always'], ['always'])).toBe('Always')
  expect(firstKubernetesPullPolicy(['never', 'always'], undefined)).toBe('Never')
  expect(firstKubernetesPullPolicy(undefined, undefined)).toBeUndefined()
  expect(firstKubernetesPullPolicy('IfNotPresent', undefined)).toBeUndefined()
})
