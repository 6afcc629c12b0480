import {podTotal} from '../../model/cluster/job-demands.js'
import {limitRangeViolations} from '../../model/cluster/limit-range.js'
import {runnersInCluster, unreadable} from '../../model/cluster/runner-in-cluster.js'
import {formatCpu, formatMemory} from '../../model/quantity.js'
import {defineRule, type Report} from '../define-rule.js'

type MessageId = 'aboveMax' | 'noLimitUnderMax' | 'belowMin' | 'podAboveMax' | 'defaulted' | 'unreadable'

const show = (resource: string, value: number) => (resource === 'cpu' ? formatCpu(value) : formatMemory(value))

export default defineRule({
  id: 'cluster-limitrange',
  target: 'config-toml',
  messages: {
    aboveMax:
      'LimitRange {{namespace}}/{{limitRange}} allows at most {{max}} {{resource}} per container, ' +
      'but the {{container}} container’s limit is {{value}}: every job pod is rejected at admission.',
    noLimitUnderMax:
      'LimitRange {{namespace}}/{{limitRange}} sets a maximum {{resource}} of {{max}} per container ' +
      'and gives no default, but the {{container}} container has no {{resource}} limit here: every ' +
      'job pod is rejected at admission.',
    belowMin:
      'LimitRange {{namespace}}/{{limitRange}} asks for at least {{min}} {{resource}} per container, ' +
      'but the {{container}} container requests {{value}}: every job pod is rejected at admission.',
    podAboveMax:
      'LimitRange {{namespace}}/{{limitRange}} allows at most {{max}} {{resource}} per pod, but ' +
      'the job pod’s containers add up to {{value}}: every job pod is rejected at admission.',
    defaulted:
      'LimitRange {{namespace}}/{{limitRange}} gives the {{container}} container a {{resource}} ' +
      '{{kind}} of {{value}}, which is not set here: each job pod requests {{cpu}} CPU and {{memory}} in that namespace.',
    unreadable: 'Could not {{what}} ({{reason}}), so the job pods’ sizes were not checked against the namespace’s LimitRanges.',
  },
  check: ({runners, env}) =>
    runnersInCluster(runners, env.cluster!, env.servicesPerJob).flatMap(
      ({tablePointer, namespace, facts, containers, defaults}): Array<Report<MessageId>> => {
        if (!facts.limitRanges.ok)
          return [{pointer: tablePointer, messageId: 'unreadable', data: unreadable(facts.limitRanges)!, severity: 'info'}]
        const keyPointer = (prefix: string | undefined, key: string) =>
          prefix === undefined ? tablePointer : `${tablePointer}/${prefix}${key}`
        const out: Array<Report<MessageId>> = []
        for (const v of limitRangeViolations(containers, facts.limitRanges.value)) {
          const base = {namespace, limitRange: v.limitRange, resource: v.resource, container: v.container}
          if (v.scope === 'Pod') {
            out.push({
              pointer: tablePointer,
              messageId: 'podAboveMax',
              data: {
                ...base,
                max: show(v.resource, v.boundValue),
                value: v.value === undefined ? 'unbounded (a container has no limit)' : show(v.resource, v.value),
              },
            })
          } else if (v.bound === 'max' && v.value === undefined) {
            out.push({pointer: tablePointer, messageId: 'noLimitUnderMax', data: {...base, max: show(v.resource, v.boundValue)}})
          } else if (v.bound === 'max') {
            out.push({
              pointer: keyPointer(v.prefix, `${v.resource}_limit`),
              messageId: 'aboveMax',
              data: {...base, max: show(v.resource, v.boundValue), value: show(v.resource, v.value!)},
            })
          } else {
            const pointer = v.value === undefined ? tablePointer : keyPointer(v.prefix, `${v.resource}_request`)
            out.push({
              pointer,
              messageId: 'belowMin',
              data: {...base, min: show(v.resource, v.boundValue), value: v.value === undefined ? 'nothing' : show(v.resource, v.value)},
            })
          }
        }
        // Defaults are not errors, but they change the per-job math every other sizing rule does.
        const requests = {
          cpu: formatCpu(podTotal(containers, 'requests', 'cpu').total),
          memory: formatMemory(podTotal(containers, 'requests', 'memory').total),
        }
        for (const d of defaults.filter((x) => x.kind === 'request')) {
          out.push({
            pointer: tablePointer,
            messageId: 'defaulted',
            severity: 'info',
            data: {
              namespace,
              limitRange: d.limitRange,
              container: d.container,
              resource: d.resource,
              kind: d.kind,
              value: show(d.resource, d.value),
              ...requests,
            },
          })
        }
        return out
      },
    ),
})
