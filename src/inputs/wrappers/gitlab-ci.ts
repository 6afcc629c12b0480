import {decodePointer, locateInYaml} from '../yaml-source.js'
import {isGitlabCi} from '../recognize.js'
import type {Wrapper} from './context.js'

/** A project's .gitlab-ci.yml: its jobs are checked against the runners of the same run. */
export const gitlabCi: Wrapper = {
  name: '.gitlab-ci.yml',
  match: isGitlabCi,
  extract(ctx, data) {
    const base = ctx.prefix ?? ''
    const locate = (pointer: string) => locateInYaml(ctx.doc, decodePointer(base + pointer), ctx.lines).span
    return {kind: 'gitlab-ci', targets: [{type: 'gitlab-ci', data, pointerBase: base, docIndex: ctx.docIndex, locate, runners: []}]}
  },
}
