import {isPlainObject} from './chart.js'
import {placeholderKind, type PlaceholderKind} from './placeholders.js'

type DocumentPath = Array<string | number>

// Free text: a runner named "dummy" or described as "TODO: move" is not a setting left unfilled.
const FREE_TEXT_KEYS = new Set(['description', 'tags', 'tag_list', 'comment', 'notes'])

/** A runner's own name: `name` of a [[runners]] entry, or the legacy chart value runners.name. */
const isRunnerName = (path: DocumentPath) =>
  path[0] === 'runners' && path.at(-1) === 'name' && (path.length === 2 || (path.length === 3 && typeof path[1] === 'number'))

// Shapes other rules report: `${…}` (the unrendered-placeholder rules' first message), template actions
// (helm-template-not-evaluated) and documentation hosts (the URL placeholder rules).
const REPORTED_ELSEWHERE = new Set<PlaceholderKind>(['substitution', 'template', 'directive', 'example-url'])

/**
 * Each string setting in a document that is a stand-in still to be filled in (`<CPU>`, `CHANGEME`, `YOUR_TOKEN`,
 * `xxxx`, "insert token here"), by path. Rules judge such values as not yet written; these are what to fill in.
 * `skip` leaves out the subtree at a path (a part another target or rule speaks of).
 */
export function unfilledValues(
  document: unknown,
  skip: (path: DocumentPath) => boolean = () => false,
): Array<{path: DocumentPath; value: string}> {
  const found: Array<{path: DocumentPath; value: string}> = []
  const visit = (value: unknown, path: DocumentPath) => {
    if (typeof value === 'string') {
      const kind = placeholderKind(value)
      if (kind && !REPORTED_ELSEWHERE.has(kind)) found.push({path, value})
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]))
    else if (isPlainObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        const at = [...path, key]
        if (!FREE_TEXT_KEYS.has(key) && !isRunnerName(at) && !skip(at)) visit(v, at)
      }
    }
  }
  visit(document, [])
  return found
}
