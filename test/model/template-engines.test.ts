import {actionEngine, blankStatementLines, firstFew, substitutionEngine, substitutionsIn} from '../../src/model/template-engines.js'

test.each([
  ['helm', ['{{ .Release.Namespace }}', '{{- if .Values.dind.enabled }}']],
  ['helm', ['{{ include "runner.name" . | nindent 4 }}']],
  ['jinja', ['{{ gitlab_url }}']],
  ['jinja', ["{{ runner.token | default('') }}"]],
  ['jinja', ['{% for runner in gitlab_runners %}', '{{ runner.name }}']],
  ['gomplate', ['{{ .Env.RUNNER_NAME }}', '{{ getenv "CONCURRENT" "4" }}']],
  ['gomplate', ['{{ strings.ToUpper .Env.NAME }}']],
  ['dockerize', ['{{ .Env.RUNNER_NAME }}', '{{ default .Env.CONCURRENT "4" }}']],
  ['dockerize', ['{{ isTrue .Env.PRIVILEGED }}']],
  ['go-template', ['{{ .name }}']],
] as const)('actions written for %s', (engine, actions) => {
  expect(actionEngine([...actions], false)).toBe(engine)
})

test('runners.config in chart values is rendered by Helm whatever it looks like', () => {
  expect(actionEngine(['{{ gitlab_url }}'], true)).toBe('helm')
})

test.each([
  ['envsubst', ['${RUNNER_TOKEN}', '${CONCURRENT}']],
  ['envsubst', ['${image:-alpine}']],
  ['terraform', ['${var.runner_image}']],
  ['terraform', ['${runner_token}', '${namespace}']],
  ['terraform', ['${CONCURRENT}', '%{ if privileged ~}']],
  ['terraform', ['${lower(name)}']],
] as const)('placeholders written for %s', (engine, placeholders) => {
  expect(substitutionEngine([...placeholders])).toBe(engine)
})

test('the wrapper decides who substitutes', () => {
  expect(substitutionEngine(['${RUNNER_TOKEN}'], {terraform: true})).toBe('terraform')
  expect(substitutionEngine(['${RUNNER_TOKEN}'], {openshiftTemplate: true})).toBe('openshift-template')
  expect(substitutionEngine(['${gitlab_host:=gitlab.com}'], {flux: true})).toBe('flux')
})

test('every substitution of a document, in order, job variables left out', () => {
  const doc = {concurrent: '${CONCURRENT}', runners: [{url: '${GITLAB}/x/${PATH_PART}', environment: ['A=${CI_JOB_ID}']}]}
  expect(substitutionsIn(doc)).toEqual([
    {path: ['concurrent'], placeholder: '${CONCURRENT}'},
    {path: ['runners', 0, 'url'], placeholder: '${GITLAB}'},
    {path: ['runners', 0, 'url'], placeholder: '${PATH_PART}'},
  ])
})

test('statement and directive lines are blanked in place, other lines kept', () => {
  const source = 'a = 1\n{% for r in rs %}\n  b = "{{ r }}"\n  {%- endfor %}\n%{ if x ~}\nc = 2 # {% not alone %}\n'
  const {text, statements} = blankStatementLines(source)
  expect(text).toBe('a = 1\n\n  b = "{{ r }}"\n\n\nc = 2 # {% not alone %}\n')
  expect(statements).toEqual([
    {line: 2, column: 1, statement: '{% for r in rs %}'},
    {line: 4, column: 3, statement: '{%- endfor %}'},
    {line: 5, column: 1, statement: '%{ if x ~}'},
  ])
})

test('firstFew names three and counts the rest', () => {
  expect(firstFew(['a', 'b'])).toBe('a, b')
  expect(firstFew(['a', 'b', 'c', 'd', 'e', 'a'])).toBe('a, b, c and 2 more')
})
