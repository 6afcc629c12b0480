import {isLiteralRegex} from '../literals.js'

/*
 * The `*_overwrite_allowed` settings of [runners.kubernetes] are Go (RE2) regular expressions that a job's
 * KUBERNETES_*_OVERWRITE value must match. The runner checks them with regexp.MatchString, which looks for a match
 * anywhere in the value: unanchored, `ci-.*` also allows `prod-ci-x`.
 */

/** Every setting that holds an overwrite regex. */
export const OVERWRITE_REGEX_KEYS = [
  'namespace_overwrite_allowed',
  'service_account_overwrite_allowed',
  'node_selector_overwrite_allowed',
  'node_tolerations_overwrite_allowed',
  'pod_labels_overwrite_allowed',
  'pod_annotations_overwrite_allowed',
]

/** Top-level alternatives of a regular expression (`a|b` outside groups and classes). */
function alternatives(regex: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]
    if (c === '\\') i++
    else if (c === '(' || c === '[') depth++
    else if ((c === ')' || c === ']') && depth > 0) depth--
    else if (c === '|' && depth === 0) {
      out.push(regex.slice(start, i))
      start = i + 1
    }
  }
  out.push(regex.slice(start))
  return out
}

/** Whether every alternative must match the whole value (`^…$` or `\A…\z`, an escaped `\$` does not count). */
export function isAnchoredRegex(regex: string): boolean {
  return alternatives(regex).every((alt) => /^(\^|\\A)/.test(alt) && /(\$|\\z)$/.test(alt) && !/\\\$$/.test(alt))
}

/** The Go syntax JavaScript spells otherwise: named groups `(?P<n>`, and the text anchors `\A` and `\z`. */
function asJavaScriptSource(regex: string): string {
  return regex
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^')
}

/** Why Go would reject the regex; JavaScript accepts look-around, back-references and atomic groups, RE2 does not. */
export function goRegexProblem(regex: string): string | undefined {
  if (/\(\?<?[=!]/.test(regex)) return 'look-ahead and look-behind are not supported by Go regular expressions'
  if (/\\[1-9]/.test(regex)) return 'back-references are not supported by Go regular expressions'
  if (/\(\?>/.test(regex)) return 'atomic groups are not supported by Go regular expressions'
  try {
    new RegExp(asJavaScriptSource(regex))
  } catch (error) {
    return `it does not compile (${(error as Error).message.replace(/^Invalid regular expression: /, '')})`
  }
  return undefined
}

/** The regex as JavaScript runs it, to test values against; undefined when it does not compile. */
export function goRegexAsJavaScript(regex: string): RegExp | undefined {
  try {
    return new RegExp(asJavaScriptSource(regex))
  } catch {
    return undefined
  }
}

/**
 * The overwrite regexes among `keys` that Go compiles but that leave some alternative unanchored. Placeholders are
 * skipped, and so are regexes Go rejects: those fail every job that uses them, which is a different problem.
 */
export function unanchoredOverwriteRegexes(
  kubernetes: Record<string, unknown>,
  keys: readonly string[],
): Array<{key: string; regex: string}> {
  return keys.flatMap((key) => {
    const regex = kubernetes[key]
    if (!isLiteralRegex(regex) || regex === '' || goRegexProblem(regex) || isAnchoredRegex(regex)) return []
    return [{key, regex}]
  })
}
