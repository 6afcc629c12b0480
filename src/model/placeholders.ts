/** Values that stand in for an unevaluated template expression look like `{ .Values.x }` after preparation. */
export function isTemplatePlaceholder(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || /^\{[\s\S]*\}$/.test(value.trim()))
}

/**
 * Unrendered placeholders from Terraform templatefile, envsubst or Flux post-build substitution.
 * `${CI_…}` are job variables the runner expands itself, not deploy-time placeholders.
 */
export const DEPLOY_SUBSTITUTION = /\$\{\s*(?!CI_)[A-Za-z_][\w.-]*(?::?[-=?+][^}]*)?\s*\}|\$\{\{[^}]*\}\}/

/** What a value that is not real configuration yet looks like. */
export type PlaceholderKind =
  /** `{{ .Values.x }}`: a Helm (or other Go/Jinja) template expression lint did not evaluate. */
  | 'template'
  /** `${VAR}`: Terraform templatefile, envsubst, Flux post-build substitution. */
  | 'substitution'
  /** `%{ if … }`: a Terraform template directive. */
  | 'directive'
  /** `<TOKEN>`, `https://<gitlab-host>/`. */
  | 'angle-brackets'
  /** `YOUR_TOKEN`, `your-gitlab-token`, `YourTokenHere`. */
  | 'your-value'
  /** `CHANGEME`, `change_me`, `REPLACE_WITH_TOKEN`, `placeholder`, `dummy`, `redacted`. */
  | 'change-me'
  /** `TODO`, `FIXME`, `TBD`. */
  | 'todo'
  /** `xxxxxxxx`, `********`, `XXXX-XXXX`, `glrt-xxxxxxxxxxxx`, `123456`, `abcdef`. */
  | 'filler'
  /** "insert token here", "token aqui", "hier einfügen", "ici votre jeton". */
  | 'prose'
  /** `https://gitlab.example.com`: a documentation host where a URL is expected. */
  | 'example-url'

export interface PlaceholderOptions {
  /** The value is a URL (a GitLab URL, a cache endpoint): documentation hosts such as example.com count too. */
  url?: boolean
}

// Prefixes real GitLab tokens carry; what follows them decides whether the token is real.
const TOKEN_PREFIX = /^(?:glrt-|glrtr-|glpat-|gldt-|glcbt-|GR1348941|t\d_)/

// A word that marks a value as "fill me in". Compared against whole words, lower case.
const CHANGE_WORDS = new Set([
  'change',
  'changeme',
  'changethis',
  'changeit',
  'replace',
  'replaceme',
  'placeholder',
  'dummy',
  'redacted',
  'fillme',
  'fillin',
])
const TODO_WORDS = new Set(['todo', 'fixme', 'tbd', 'tbc'])
const YOUR_WORDS = new Set([
  'your',
  'yours',
  'yourtoken',
  'yourdomain',
  'yourcompany',
  'votre',
  'vos',
  'dein',
  'deinen',
  'ihr',
  'ihren',
  'seu',
  'sua',
  'tuo',
  'vuestro',
])

/**
 * "Put it here" in the languages users' files were found in. A word from this list in a short value makes it prose
 * (`insert token here`, `token_aqui`), never a credential.
 */
const HERE_WORDS = new Set([
  // English
  'here',
  'insert',
  'paste',
  // German
  'hier',
  'einfügen',
  'einfuegen',
  'eintragen',
  'ersetzen',
  'einsetzen',
  // Spanish, Portuguese
  'aqui',
  'aquí',
  'acá',
  'aca',
  'inserir',
  'insira',
  'insertar',
  'inserte',
  'coloque',
  'pegue',
  'pega',
  'reemplazar',
  'substituir',
  'substitua',
  // French
  'ici',
  'insérer',
  'inserer',
  'remplacer',
  'coller',
  // Italian
  'qui',
  'qua',
  'inserisci',
  'inserire',
  'sostituire',
  'incolla',
  // Dutch, Polish, Turkish, Swedish
  'invoegen',
  'tutaj',
  'wstaw',
  'buraya',
  'burada',
  'här',
  'infoga',
  // Russian, Ukrainian
  'здесь',
  'сюда',
  'тут',
  'вставьте',
  'вставить',
  // Chinese, Japanese, Korean
  '这里',
  '此处',
  '在此',
  'ここ',
  'ここに',
  '여기',
  '여기에',
])

// Scripts without spaces between words: a marker inside the value is enough. Built from strings, which esbuild
// escapes: a regex literal keeps its characters, and one non-ASCII character makes the whole lint bundle two-byte text.
const CJK_HERE = new RegExp(['这里', '此处', '在此', '填写', 'ここ', '여기', '입력'].join('|'))

// Every marker word is a substring of a value that holds it: most values hold none, and skip the word analysis.
// No u flag: every marker is in the Basic Multilingual Plane, and a Unicode-mode case-insensitive alternation costs
// about a millisecond to compile, paid by every lint run.
const MARKER_HINT = new RegExp([...YOUR_WORDS, ...CHANGE_WORDS, ...TODO_WORDS, ...HERE_WORDS, CJK_HERE.source].join('|'), 'i')

const ASCII_ONLY = /^[\x20-\x7e]*$/

// RFC 2606 documentation names: example.com/.net/.org and the reserved .example and .invalid top-level domains.
const EXAMPLE_HOST = /(^|\.)example\.(com|net|org)$|\.(example|invalid)$|^example$/i

/**
 * The words of a value: runs of letters and digits, and a camelCase run split into its words only when the whole run
 * reads like words (`YourTokenHere`), so that a random token's mixed case never yields words by chance.
 */
function wordsOf(value: string): string[] {
  // Most values are ASCII: the Unicode-aware split costs a regex compile that only other scripts need.
  return value
    .split(ASCII_ONLY.test(value) ? /[^A-Za-z0-9]+/ : /[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .flatMap((run) => (/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)+$/.test(run) ? run.split(/(?=[A-Z])/) : [run]))
    .map((w) => w.toLowerCase())
}

/** `xxxxxxxx`, `XXXX-XXXX`, `********`: one character, repeated, with separators at most. */
function isRepeatedFiller(rest: string): boolean {
  // Cheap refusal first: filler ends in the character it starts with.
  if (rest.length < 4 || rest[0].toLowerCase() !== rest[rest.length - 1].toLowerCase()) return false
  const chars = rest.replace(/[-_.:/\s]/g, '').toLowerCase()
  return chars.length >= 4 && [...chars].every((c) => c === chars[0])
}

/** `123456`, `abcdef`, `abc123`, `1234abcd`: ascending runs of digits and letters. */
function isAscendingFiller(rest: string): boolean {
  if (!/^[a-z0-9_-]{6,40}$/i.test(rest)) return false
  const runs = rest.toLowerCase().match(/[a-z]+|\d+/g)
  if (
    !runs ||
    runs.length > 2 ||
    runs.some((run) => run.length < 3) ||
    runs.join('') !== rest.toLowerCase().replace(/[-_]/g, '') ||
    runs.join('').length < 6
  )
    return false
  return runs.every((run) =>
    [...run].every((c, i) => i === 0 || c.charCodeAt(0) === run.charCodeAt(i - 1) + 1 || (c === '0' && run[i - 1] === '9')),
  )
}

function isTokenShaped(text: string): boolean {
  return !/\s/.test(text) && text.length >= 16 && /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text)
}

function hostOf(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]*\]|[^:/?#\s]+)/i.exec(value.trim())
  return m?.[1]
}

/**
 * Whether a value stands in for one the user still has to fill in, and what it looks like; undefined for a value
 * that may be real. Real-looking tokens are never placeholders: lint hides secrets unless they are placeholders, so
 * the word shapes below only match whole words, never letters that happen to occur inside a random string.
 */
// Rules ask about the same values again and again (every secret, URL and type rule): each string is judged once.
const judged = new Map<string, PlaceholderKind | undefined>()
const JUDGED_LIMIT = 10_000

export function placeholderKind(value: unknown, options: PlaceholderOptions = {}): PlaceholderKind | undefined {
  if (typeof value !== 'string') return undefined
  if (options.url) return judgePlaceholder(value, options)
  if (judged.has(value)) return judged.get(value)
  const kind = judgePlaceholder(value, options)
  if (judged.size >= JUDGED_LIMIT) judged.clear()
  judged.set(value, kind)
  return kind
}

function judgePlaceholder(value: string, options: PlaceholderOptions): PlaceholderKind | undefined {
  const text = value.trim()
  if (text === '') return undefined
  if (text.includes('$') && DEPLOY_SUBSTITUTION.test(text)) return 'substitution'
  if (text.includes('{') && isTemplatePlaceholder(text)) return 'template'
  if (text.includes('%{') && /%\{[^}]*\}/.test(text)) return 'directive'
  // `(?<name>…)` is a named group in a regular expression, not a placeholder.
  if (text.includes('<') && /(?:^|[^?])<[^<>\s=][^<>]*>/.test(text)) return 'angle-brackets'

  const rest = text.replace(TOKEN_PREFIX, '')
  if (isRepeatedFiller(rest) || isAscendingFiller(rest)) return 'filler'

  if (options.url) {
    const host = hostOf(text)
    if (host && EXAMPLE_HOST.test(host)) return 'example-url'
  }
  // A long single string mixing upper case, lower case and digits is shaped like a token: words found in it may be chance.
  if (!MARKER_HINT.test(text) || isTokenShaped(text)) return undefined
  const words = wordsOf(text)
  const short = words.length <= 10
  if (short && words.some((w) => YOUR_WORDS.has(w))) return 'your-value'
  if (short && words.some((w) => CHANGE_WORDS.has(w) || /^(change|replace)(me|this|it|with)/.test(w))) return 'change-me'
  if (short && words.some((w) => TODO_WORDS.has(w))) return 'todo'
  if (short && (words.some((w) => HERE_WORDS.has(w)) || CJK_HERE.test(text))) return 'prose'

  return undefined
}

/** Whether a value is a placeholder of any kind (see placeholderKind). */
export function isPlaceholderValue(value: unknown, options: PlaceholderOptions = {}): boolean {
  return placeholderKind(value, options) !== undefined
}
