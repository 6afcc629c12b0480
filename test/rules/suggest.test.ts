import fc from 'fast-check'

import {editDistance, editDistanceWithin, KeyIndex, normalizeKey} from '../../src/model/suggest.js'

const closestKey = (written: string, candidates: string[]) => new KeyIndex(candidates).closest(written)

const KEYS = ['kubernetes', 'BucketName', 'privileged', 'cpu_limit', 'cpu_request', 'helper_image', 'namespace', 'dns_policy', 'image']

test('the same key in another spelling wins, then the closest within a small distance', () => {
  expect(closestKey('bucket_name', KEYS)).toBe('BucketName')
  expect(closestKey('kuberentes', KEYS)).toBe('kubernetes')
  expect(closestKey('privilegd', KEYS)).toBe('privileged')
  expect(closestKey('cpu_limits', KEYS)).toBe('cpu_limit')
  expect(closestKey('imag', KEYS)).toBe('image')
})

test('nothing for a key far from every candidate, however long', () => {
  expect(closestKey('tolerations_of_everything', KEYS)).toBeUndefined()
  expect(closestKey('x'.repeat(100_000), KEYS)).toBeUndefined()
  expect(closestKey('zz', KEYS)).toBeUndefined()
})

/** closestKey without its bounds: every candidate scored in full. */
function closestKeyByFullScan(written: string, candidates: string[]): string | undefined {
  const norm = normalizeKey(written)
  let best: {key: string; distance: number} | undefined
  for (const candidate of candidates) {
    if (candidate === written) continue
    if (normalizeKey(candidate) === norm) return candidate
    const score = Math.min(editDistance(written.toLowerCase(), candidate.toLowerCase()), editDistance(norm, normalizeKey(candidate)))
    if (!best || score < best.distance) best = {key: candidate, distance: score}
  }
  const allowed = norm.length <= 4 ? 1 : norm.length <= 9 ? 2 : 3
  return best && best.distance <= allowed ? best.key : undefined
}

test('the bounded search never changes the answer of a full scan', () => {
  const edit = fc.tuple(
    fc.constantFrom(...KEYS),
    fc.array(fc.tuple(fc.nat(40), fc.constantFrom('del', 'ins', 'swap', 'case', '_')), {maxLength: 4}),
    fc.string({minLength: 1, maxLength: 1}),
  )
  fc.assert(
    fc.property(edit, ([key, edits, ch]) => {
      let written = key
      for (const [at, op] of edits) {
        const i = written.length === 0 ? 0 : at % written.length
        if (op === 'del') written = written.slice(0, i) + written.slice(i + 1)
        else if (op === 'ins') written = written.slice(0, i) + ch + written.slice(i)
        else if (op === 'swap' && i > 0) written = written.slice(0, i - 1) + written[i] + written[i - 1] + written.slice(i + 1)
        else if (op === 'case') written = written.slice(0, i) + written.charAt(i).toUpperCase() + written.slice(i + 1)
        else written = `${written.slice(0, i)}_${written.slice(i)}`
      }
      return closestKey(written, KEYS) === closestKeyByFullScan(written, KEYS)
    }),
    {numRuns: 3000},
  )
})

test('the bounded distance equals the full one up to its bound, on any strings', () => {
  const text = fc.string({unit: fc.constantFrom('a', 'b', 'c', '_', 'K'), maxLength: 12})
  fc.assert(
    fc.property(
      text,
      text,
      fc.integer({min: 0, max: 6}),
      (a, b, max) => editDistanceWithin(a, b, max) === Math.min(editDistance(a, b), max + 1),
    ),
    {numRuns: 5000},
  )
  // Longer than the reused rows at first, so they grow.
  expect(editDistanceWithin('x'.repeat(100), `${'x'.repeat(99)}y`, 2)).toBe(1)
})
