import {isPlainObject} from './chart.js'

/**
 * Which template engine a runner config was written for. A config.toml kept as a template is rendered by Helm (the
 * chart's `tpl` of runners.config), by Ansible (Jinja2), by gomplate or dockerize in an entrypoint, by envsubst, or by
 * Terraform's templatefile; lint evaluates none of them, and names the one it found so the reader knows what to run.
 */
export type TemplateEngine =
  'helm' | 'jinja' | 'gomplate' | 'dockerize' | 'go-template' | 'envsubst' | 'terraform' | 'openshift-template' | 'flux'

export const ENGINE_LABEL: Record<TemplateEngine, string> = {
  helm: 'Helm',
  jinja: 'Jinja (Ansible)',
  gomplate: 'gomplate',
  dockerize: 'dockerize',
  'go-template': 'Go',
  envsubst: 'envsubst',
  terraform: 'Terraform',
  'openshift-template': 'OpenShift Template',
  flux: 'Flux post-build substitution',
}

// Objects only Helm hands a template; `include`, `tpl` and the chart helpers are Helm's own functions.
const HELM_MARKS =
  /(^|[\s(|])\.(Values|Release|Chart|Capabilities|Files|Template)\b|\b(include|tpl|toYaml|nindent|required|lookup)\s+["'.(]/

// gomplate's namespaced functions and its datasources (docs.gomplate.ca/functions); dockerize has none of them.
const GOMPLATE_MARKS =
  /\b(getenv|datasource|datasourceExists|defineDatasource|ds)\s+["'(]|\b(env|conv|strings|math|file|data|sockaddr|crypto|net|time|coll|filepath|path|regexp|test|tmpl|random|base64|aws|gcp|semver)\.[A-Z]\w*/

// dockerize exposes the environment as .Env and adds these helpers (github.com/jwilder/dockerize template.go).
const DOCKERIZE_MARKS = /\.Env\.\w+|\b(isTrue|jsonQuery|parseUrl|exists|loop)\s/

/**
 * Jinja2 marks: a statement (`{% … %}`), a variable without Go's leading dot (`{{ gitlab_url }}`, `{{ runner.name }}`),
 * a filter call (`| default('x')`) or a single-quoted string argument, which Go templates do not have.
 */
function isJinjaAction(action: string): boolean {
  if (/^\{%|^\{#/.test(action)) return true
  const inner = action.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '')
  // Go's own words stand alone too: `{{ end }}`, `{{ else }}`.
  if (/^(end|else|break|continue|nil|true|false)$/.test(inner)) return false
  return /^[A-Za-z_]\w*(\.\w+|\[[^\]]*\])*\s*(\||$)/.test(inner) || /\|\s*\w+\s*\(/.test(inner) || /\(\s*'/.test(inner)
}

/**
 * The engine a set of `{{ … }}` / `{% … %}` actions was written for. Inside chart values runners.config is rendered
 * by Helm whatever it looks like; elsewhere the actions decide.
 */
export function actionEngine(actions: string[], inChartValues: boolean): TemplateEngine {
  if (inChartValues) return 'helm'
  if (actions.some(isJinjaAction)) return 'jinja'
  if (actions.some((a) => HELM_MARKS.test(a))) return 'helm'
  if (actions.some((a) => GOMPLATE_MARKS.test(a))) return 'gomplate'
  if (actions.some((a) => DOCKERIZE_MARKS.test(a))) return 'dockerize'
  return 'go-template'
}

/** Where `${…}` placeholders sit, which decides who fills them in. */
export interface SubstitutionContext {
  /** The document came from Terraform (a helm_release, a templatefile heredoc). */
  terraform?: boolean
  /** The document is an OpenShift Template, whose parameters are `${NAME}`. */
  openshiftTemplate?: boolean
  /** The document is applied by Flux, which substitutes `${var}` after the build. */
  flux?: boolean
}

/**
 * The engine of a file's `${…}` placeholders and `%{ … }` directives: Terraform for its references (`var.`, `local.`),
 * directives and function calls, or for the lower-case names templatefile is given; envsubst for environment names
 * (`${RUNNER_TOKEN}`, `${NAME:-default}`), unless the wrapper says who substitutes.
 */
export function substitutionEngine(placeholders: string[], context: SubstitutionContext = {}): TemplateEngine {
  if (context.terraform) return 'terraform'
  if (context.openshiftTemplate) return 'openshift-template'
  if (context.flux) return 'flux'
  const terraformish = placeholders.some((p) => /^%\{|^\$\{\s*(var|local|module|each|data|path)\.|^\$\{\s*\w+\(/.test(p))
  if (terraformish) return 'terraform'
  const names = placeholders.map((p) => /^\$\{\s*([A-Za-z_][\w.-]*)/.exec(p)?.[1] ?? '')
  return names.some((n) => /[a-z]/.test(n)) && !placeholders.some((p) => /:-|:=/.test(p)) ? 'terraform' : 'envsubst'
}

// Every `${…}` (not the runner's own `${CI_…}` job variables) and `%{ … }` directive, as written.
const SUBSTITUTION = /\$\{\s*(?!CI_)[A-Za-z_][\w.-]*(?:\([^)]*\))?(?::?[-=?+][^}]*)?\s*\}|\$\{\{[^}]*\}\}|%\{[^}]*\}/g

type DocumentPath = Array<string | number>

/** Each `${…}` / `%{…}` in the strings of a document, by path, in document order; `skip` leaves out a subtree. */
export function substitutionsIn(
  document: unknown,
  skip: (path: DocumentPath) => boolean = () => false,
): Array<{path: DocumentPath; placeholder: string}> {
  const found: Array<{path: DocumentPath; placeholder: string}> = []
  const visit = (value: unknown, path: DocumentPath) => {
    if (typeof value === 'string') for (const m of value.matchAll(SUBSTITUTION)) found.push({path, placeholder: m[0]})
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]))
    else if (isPlainObject(value)) for (const [key, v] of Object.entries(value)) if (!skip([...path, key])) visit(v, [...path, key])
  }
  visit(document, [])
  return found
}

// A line that is only a Jinja statement or comment, or a Terraform directive: never TOML, so blanking keeps lines.
const STATEMENT_LINE = /^(\s*)(\{%-?[\s\S]*?-?%\}|\{#[\s\S]*?#\}|%\{[^}]*\})\s*$/

/**
 * Blanks the lines of a template that hold only a statement (`{% for r in runners %}`, `{% endif %}`, `%{ if x ~}`),
 * keeping every other line and column in place, and returns the statements with their positions. The body of a loop
 * or condition is then read once, as written.
 */
export function blankStatementLines(source: string): {text: string; statements: Array<{line: number; column: number; statement: string}>} {
  if (!source.includes('{%') && !source.includes('{#') && !source.includes('%{')) return {text: source, statements: []}
  const statements: Array<{line: number; column: number; statement: string}> = []
  const lines = source.split('\n').map((line, i) => {
    const m = STATEMENT_LINE.exec(line)
    if (!m) return line
    statements.push({line: i + 1, column: m[1].length + 1, statement: m[2]})
    return ''
  })
  return {text: lines.join('\n'), statements}
}

/** "3 actions", "1 placeholder". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** The first few items and how many more: `{{ a }}, {{ b }}, {{ c }} and 4 more`. */
export function firstFew(items: string[], shown = 3): string {
  const distinct = [...new Set(items)]
  const head = distinct.slice(0, shown).join(', ')
  return distinct.length > shown ? `${head} and ${distinct.length - shown} more` : head
}
