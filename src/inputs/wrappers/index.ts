import {isPlainObject} from '../../model/chart.js'
import {encryptedSkipReason} from '../encrypted.js'
import {isSopsEncrypted} from '../recognize.js'
import {argoCdApplication} from './argocd-application.js'
import {chartValues, umbrellaChartValues} from './chart-values.js'
import {configMap} from './configmap.js'
import {type DocumentResult, kindLabel, kindOf, skip, type Wrapper, type YamlContext} from './context.js'
import {fluxHelmRelease} from './flux-helmrelease.js'
import {gitlabCi} from './gitlab-ci.js'
import {helmfile} from './helmfile.js'
import {k3sHelmChart} from './k3s-helmchart.js'
import {kustomization} from './kustomize.js'
import {openShiftTemplateOrList} from './openshift.js'
import {registrationSecret, registrationWorkload} from './registration-env.js'

export type {DocumentResult, Wrapper, YamlContext} from './context.js'

const sopsEncrypted: Wrapper = {
  name: 'SOPS-encrypted file',
  match: isSopsEncrypted,
  extract: () => skip(encryptedSkipReason('SOPS')),
}

/** Any other Kubernetes object: its fields are not chart values even when they look like them. */
const otherKubernetesObject: Wrapper = {
  name: 'other Kubernetes object',
  match: (data) => kindOf(data) !== undefined && kindOf(data) !== '',
  extract: (_ctx, data) => skip(`Kubernetes ${kindLabel(data)}, not runner configuration`),
}

/**
 * The forms of a YAML document, most specific first: the first whose `match` accepts the document reads it.
 * Order matters: Kubernetes kinds before the key-based forms, and chart values before a .gitlab-ci.yml (a values
 * file can have a key that looks like a job).
 */
export const YAML_WRAPPERS: readonly Wrapper[] = [
  sopsEncrypted,
  configMap,
  fluxHelmRelease,
  argoCdApplication,
  k3sHelmChart,
  openShiftTemplateOrList,
  kustomization,
  registrationSecret,
  registrationWorkload,
  otherKubernetesObject,
  helmfile,
  chartValues,
  umbrellaChartValues,
  gitlabCi,
]

export function analyzeDocument(ctx: YamlContext, data: unknown): DocumentResult {
  if (!isPlainObject(data)) return skip('not a mapping')
  const wrapper = YAML_WRAPPERS.find((w) => w.match(data))
  return wrapper ? wrapper.extract(ctx, data, analyzeDocument) : skip('not gitlab-runner values, config.toml or a wrapper of them')
}
