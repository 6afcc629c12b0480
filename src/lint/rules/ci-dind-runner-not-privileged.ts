import {acrossRunners} from '../../model/executor/ci-dind.js'
import {containerPrivileged} from '../../model/executor/containers.js'
import {defineRule} from '../define-rule.js'

/** docker:dind needs a privileged container; the runner decides that, not the job. */
export default defineRule({
  id: 'ci-dind-runner-not-privileged',
  target: 'gitlab-ci',
  messages: {
    notPrivileged:
      'Job {{job}} starts {{image}}, but {{runners}} does not run service containers privileged: dockerd ' +
      'cannot start, so every docker command in the job fails.',
  },
  check: ({target}) =>
    acrossRunners(
      target.data,
      target.runners,
      (use, runner) => (containerPrivileged(runner.kubernetes, 'service') ? undefined : {pointer: use.service.pointer}),
      {needsRunner: true},
    ).map(({issue, use, runners}) => ({
      pointer: issue.pointer,
      messageId: 'notPrivileged' as const,
      data: {job: use.job.name, image: use.service.image, runners},
    })),
})
