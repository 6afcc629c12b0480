import {chartImage, configDrift, sameImage} from '../../model/cluster/drift.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId =
  'secretUnreadable' | 'key' | 'image' | 'chart' | 'secretMissing' | 'ambiguous' | 'notDeployed' | 'configUnparsable' | 'unreadable'

export default defineRule({
  id: 'cluster-drift',
  target: 'config-toml',
  messages: {
    key: 'Differs from the deployed runner ({{source}}): deployed: {{key}} = {{deployed}}; here: {{here}}.',
    image: 'Differs from the deployed runner (Deployment {{deployment}}): deployed image: {{deployed}}; here: {{here}}.',
    chart:
      'The deployed runner (Deployment {{deployment}}) comes from chart {{deployed}}; these values were checked against chart {{here}}.',
    secretMissing: 'Deployment {{deployment}} names Secret {{secret}}, which does not exist in {{namespace}}: the runner cannot start.',
    ambiguous:
      'Namespace {{namespace}} holds {{count}} runner Deployments ({{names}}), so this file was ' +
      'not compared with a deployed runner; pass -n with the namespace of one.',
    notDeployed:
      'No runner Deployment was found in namespace {{namespace}} of cluster {{cluster}}, so this ' +
      'file was not compared with a deployed runner.',
    configUnparsable:
      'The deployed ConfigMap {{configMap}} holds no runner configuration that can be read ({{errors}}), ' +
      'so the file was not compared with it.',
    unreadable: 'Could not {{what}} ({{reason}}), so this file was not compared with the deployed runner.',
    secretUnreadable: 'Could not {{what}} ({{reason}}), so whether the Secrets the runner Deployment names exist was not checked.',
  },
  check: ({target, env}) => {
    const cluster = env.cluster!
    const top = {pointer: '', inValues: Boolean(target.values)}
    if (!cluster.runner.ok)
      return [{...top, messageId: 'unreadable', data: {what: cluster.runner.what, reason: cluster.runner.reason}, severity: 'info'}]
    const runner = cluster.runner.value
    if (!runner)
      return [{...top, messageId: 'notDeployed', data: {namespace: cluster.runnerNamespace, cluster: cluster.cluster}, severity: 'info'}]
    if ('ambiguous' in runner) {
      return [
        {
          ...top,
          messageId: 'ambiguous',
          data: {namespace: cluster.runnerNamespace, count: runner.ambiguous.length, names: runner.ambiguous.join(', ')},
          severity: 'info',
        },
      ]
    }
    const deployment = `${runner.namespace}/${runner.name}`
    const out: Array<Report<MessageId>> = []
    for (const secret of runner.secrets) {
      if (secret.exists === false)
        out.push({...top, messageId: 'secretMissing', data: {deployment, secret: secret.name, namespace: runner.namespace}})
    }
    const unknownSecret = runner.secrets.find((s) => s.exists === undefined)
    if (unknownSecret && unknownSecret.exists === undefined)
      out.push({...top, messageId: 'secretUnreadable', data: {what: unknownSecret.what, reason: unknownSecret.reason}, severity: 'info'})
    if (target.values && runner.image) {
      const here = chartImage(target.values.data, target.values.user)
      if (here && !sameImage(here.image, runner.image))
        out.push({pointer: here.pointer, inValues: true, messageId: 'image', data: {deployment, deployed: runner.image, here: here.image}})
    }
    const deployedChart = /^gitlab-runner-(.+)$/.exec(runner.chart ?? '')?.[1]
    // Without --chart-version the values were checked against the newest chart known, which says nothing of intent.
    if (
      env.chartVersionStated &&
      target.values &&
      deployedChart &&
      deployedChart.replace(/^v/, '') !== target.values.chartVersion.replace(/^v/, '')
    ) {
      out.push({...top, messageId: 'chart', data: {deployment, deployed: runner.chart!, here: target.values.chartVersion}})
    }
    if (!runner.configMap) return out
    if (!runner.configMap.ok)
      return [
        ...out,
        {...top, messageId: 'unreadable', data: {what: runner.configMap.what, reason: runner.configMap.reason}, severity: 'info'},
      ]
    const deployed = runner.configMap.value
    if (deployed.errors.length > 0 && !deployed.runners && Object.keys(deployed.global).length === 0) {
      return [
        ...out,
        {
          ...top,
          messageId: 'configUnparsable',
          data: {configMap: `${runner.namespace}/${deployed.name}`, errors: deployed.errors.join('; ')},
          severity: 'info',
        },
      ]
    }
    const source = `ConfigMap ${runner.namespace}/${deployed.name}`
    for (const item of configDrift({
      deployedGlobal: deployed.global,
      deployedRunners: deployed.runners,
      toml: target.data,
      values: target.values?.data,
    })) {
      out.push({
        pointer: item.pointer,
        inValues: item.inValues,
        messageId: 'key',
        data: {source, key: item.key, deployed: item.deployed, here: item.here},
      })
    }
    return out
  },
})
