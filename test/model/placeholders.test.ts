import fc from 'fast-check'

import {isPlaceholderValue, placeholderKind, type PlaceholderKind} from '../../src/model/placeholders.js'
import {isPlaceholder} from '../../src/model/secrets.js'

// Shapes found in users' files where a token, URL or name still has to be filled in (issue 14), each with the kind
// the recogniser must name.
const PLACEHOLDERS: Array<[string, PlaceholderKind]> = [
  ['{{ .Values.runnerToken }}', 'template'],
  ['{ .Values.gitlabUrl }', 'template'],
  ['${RUNNER_TOKEN}', 'substitution'],
  ['${runner_token:-}', 'substitution'],
  ['glrt-${TOKEN}', 'substitution'],
  ['${{ secrets.RUNNER_TOKEN }}', 'substitution'],
  ['%{ if enabled }true%{ endif }', 'directive'],
  ['<TOKEN>', 'angle-brackets'],
  ['<your runner token>', 'angle-brackets'],
  ['https://<gitlab-host>/', 'angle-brackets'],
  ['glrt-<token>', 'angle-brackets'],
  ['YOUR_TOKEN', 'your-value'],
  ['YOUR_RUNNER_AUTHENTICATION_TOKEN', 'your-value'],
  ['your-gitlab-token', 'your-value'],
  ['YourTokenHere', 'your-value'],
  ['https://gitlab.yourcompany.com', 'your-value'],
  ['glrt-YOUR_TOKEN', 'your-value'],
  ['CHANGEME', 'change-me'],
  ['changeme', 'change-me'],
  ['change_me', 'change-me'],
  ['ChangeMe', 'change-me'],
  ['CHANGE-THIS-TOKEN', 'change-me'],
  ['changethis', 'change-me'],
  ['REPLACE_WITH_TOKEN', 'change-me'],
  ['replace-me', 'change-me'],
  ['replaceWithRunnerToken', 'change-me'],
  ['placeholder', 'change-me'],
  ['dummy-token', 'change-me'],
  ['REDACTED', 'change-me'],
  ['TODO', 'todo'],
  ['todo: add token', 'todo'],
  ['FIXME', 'todo'],
  ['TBD', 'todo'],
  ['xxxxxxxxxx', 'filler'],
  ['XXXXXXXXXXXXXXXXXXXX', 'filler'],
  ['xxxx-xxxx-xxxx', 'filler'],
  ['********', 'filler'],
  ['glrt-xxxxxxxxxxxxxxxxxxxx', 'filler'],
  ['GR1348941xxxxxxxxxxxx', 'filler'],
  ['00000000', 'filler'],
  ['123456789', 'filler'],
  ['abcdef', 'filler'],
  ['abc123', 'filler'],
  ['glrt-1234567890', 'filler'],
  ['insert token here', 'prose'],
  ['put your token here', 'your-value'],
  ['TOKEN_HERE', 'prose'],
  ['token-here', 'prose'],
  ['paste the runner token', 'prose'],
  ['token aqui', 'prose'],
  ['coloque o token aqui', 'prose'],
  ['inserte el token aquí', 'prose'],
  ['Token hier einfügen', 'prose'],
  ['hier eintragen', 'prose'],
  ['insérer le jeton ici', 'prose'],
  ['inserisci qui il token', 'prose'],
  ['wstaw token tutaj', 'prose'],
  ['вставьте токен сюда', 'prose'],
  ['токен здесь', 'prose'],
  ['在这里填写令牌', 'prose'],
  ['ここにトークン', 'prose'],
  ['여기에 토큰 입력', 'prose'],
]

// Real-looking values: tokens, names and URLs lint must judge (and hide, when they are secrets).
const REAL = [
  'glrt-2CR8_eVxiioB1QmzPZwa',
  'glrt-t1_Zs8Kxq3mYbNwR4pLv7Tc',
  'GR1348941a1B2c3D4e5F6g7H8i9J0',
  'glpat-9aTq3Vx7LmNc2BpKd8Ry',
  'dGhpcyBpcyBub3QgYSB0b2tlbg==',
  'c2VjcmV0LWtleS0xMjM0NTY3ODkw',
  'AKIAIOSFODNN7EXAMPLE0',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  'gitlab-runner',
  'gitlab-runner-secret',
  'ci-jobs',
  'alpine:3.22',
  'docker:27-dind',
  'https://gitlab.com/',
  'https://gitlab.internal.corp:8443',
  'tcp://docker:2376',
  '/certs/client',
  '^ci-.*$',
  '(?<group>ci)-[a-z]+',
  'kube-system',
  '100Mi',
  'always',
  'x',
  'xyz',
  'true',
  '',
]

describe('placeholderKind', () => {
  test.each(PLACEHOLDERS)('%s is a placeholder (%s)', (value, kind) => {
    expect(placeholderKind(value)).toBe(kind)
    expect(isPlaceholder(value)).toBe(true)
  })

  test.each(REAL)('%s is not a placeholder', (value) => {
    expect(placeholderKind(value)).toBeUndefined()
    expect(placeholderKind(value, {url: true})).toBeUndefined()
  })

  test("${CI_…} variables are the runner's own, not deploy-time placeholders", () => {
    expect(placeholderKind('/builds/${CI_CONCURRENT_ID}')).toBeUndefined()
  })

  test('non-strings are never placeholders', () => {
    for (const value of [undefined, null, 0, 1, true, {}, []]) expect(placeholderKind(value)).toBeUndefined()
  })

  test.each([
    'https://gitlab.example.com',
    'https://gitlab.example.com/',
    'http://example.org',
    'https://user@ci.example.net:8443/path',
    'https://gitlab.company.example',
    'https://gitlab.invalid',
  ])('%s is a placeholder where a URL is expected', (url) => {
    expect(placeholderKind(url, {url: true})).toBe('example-url')
    // Elsewhere an example host may be a real value (a registry mirror named in docs, an e-mail domain).
    expect(placeholderKind(url)).toBeUndefined()
  })

  test.each(['https://example.com.evil.io', 'https://notexample.com', 'https://gitlab.examples.com'])('%s is a real host', (url) => {
    expect(placeholderKind(url, {url: true})).toBeUndefined()
  })
})

// Token alphabets: base62 and base64url as GitLab issues them, base64 as cloud keys come.
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const randomString = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), {minLength: min, maxLength: max}).map((chars) => chars.join(''))
// A real token mixes cases and digits; a draw that happens to be all one case is a different shape and tested apart.
const mixed = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s)

describe('placeholderKind over generated values', () => {
  test('a runner authentication token (glrt- and 20 random characters) is never a placeholder', () => {
    fc.assert(
      fc.property(randomString(`${BASE62}_-`, 20, 20).filter(mixed), (random) => {
        expect(placeholderKind(`glrt-${random}`)).toBeUndefined()
      }),
      {numRuns: 5000},
    )
  })

  test('a token of one case and digits, without separators, is never a placeholder', () => {
    fc.assert(
      fc.property(
        randomString('abcdefghijklmnopqrstuvwxyz0123456789', 16, 40),
        fc.constantFrom(
          (s: string) => s,
          (s: string) => s.toUpperCase(),
        ),
        (body, cased) => {
          // One character repeated is filler by definition; any other draw must not match.
          fc.pre(new Set(body).size > 1)
          expect(placeholderKind(cased(body))).toBeUndefined()
        },
      ),
      {numRuns: 5000},
    )
  })

  test('random base64 (cloud access keys, secrets) is never a placeholder', () => {
    fc.assert(
      fc.property(randomString(`${BASE62}+/`, 24, 64).filter(mixed), fc.constantFrom('', '=', '=='), (body, padding) => {
        expect(placeholderKind(body + padding)).toBeUndefined()
      }),
      {numRuns: 5000},
    )
  })

  test('any value wrapped in ${…}, <…> or made of one repeated character is a placeholder', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/).filter((n) => !n.startsWith('CI_'))
    fc.assert(
      fc.property(name, fc.constantFrom('', 'glrt-', 'prefix-'), (n, prefix) => {
        expect(isPlaceholderValue(`${prefix}\${${n}}`)).toBe(true)
        expect(isPlaceholderValue(`${prefix}<${n}>`)).toBe(true)
      }),
    )
    fc.assert(
      fc.property(
        fc.constantFrom('x', 'X', '*', '0', '#', 'a'),
        fc.integer({min: 4, max: 64}),
        fc.constantFrom('', 'glrt-'),
        (c, n, prefix) => {
          expect(placeholderKind(prefix + c.repeat(n))).toBe('filler')
        },
      ),
    )
  })

  test('a marker word in any case and with any separator makes a value a placeholder', () => {
    const marker = fc.constantFrom('your', 'changeme', 'replace', 'todo', 'fixme', 'here', 'hier', 'aqui')
    const other = fc.constantFrom('token', 'runner', 'gitlab', 'registration', 'access')
    const separator = fc.constantFrom('_', '-', ' ', '.')
    const casing = fc.constantFrom(
      (s: string) => s.toUpperCase(),
      (s: string) => s.toLowerCase(),
    )
    fc.assert(
      fc.property(fc.array(other, {maxLength: 3}), marker, fc.nat(3), separator, casing, (words, m, at, sep, cased) => {
        const all: string[] = [...words]
        all.splice(Math.min(at, all.length), 0, m)
        expect(isPlaceholderValue(cased(all.join(sep)))).toBe(true)
      }),
    )
  })
})
