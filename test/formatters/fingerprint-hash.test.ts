import fc from 'fast-check'

import {fingerprintHash} from '../../src/util/fingerprint-hash.js'

test('32 lowercase hex digits, the same for the same text on every run', () => {
  expect(fingerprintHash('examples/values.yaml\u00000/runners/config\u0000toml-privileged\u0000Job pods run privileged')).toMatch(
    /^[0-9a-f]{32}$/,
  )
  // A fixed value: a changed recipe would silently change every fingerprint GitLab has stored.
  expect(fingerprintHash('')).toBe('ded2df5d4544aad5273933dd7e4314cd')
  expect(fingerprintHash('abc')).toBe('1258c03e19de27bb258dc4c40ec282a9')
})

test('no collisions over 40,000 near-identical inputs (paths and pointers that differ by one character)', () => {
  const seen = new Set<string>()
  for (let i = 0; i < 20_000; i++) {
    seen.add(fingerprintHash(`values-${i}.yaml\u00000/runners/config\u0000toml-privileged\u0000message`))
    seen.add(fingerprintHash(`values.yaml\u00000/runners/${i}\u0000toml-privileged\u0000message`))
  }
  expect(seen.size).toBe(40_000)
})

test('a change anywhere in the text changes the hash', () => {
  fc.assert(
    fc.property(
      fc.string({unit: 'binary', minLength: 1, maxLength: 200}),
      fc.nat(),
      fc.integer({min: 1, max: 0xffff}),
      (text, at, delta) => {
        const i = at % text.length
        const changed = text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + delta) % 0x10000) + text.slice(i + 1)
        return changed === text || fingerprintHash(changed) !== fingerprintHash(text)
      },
    ),
    {numRuns: 5000},
  )
})

test('every output bit depends on the input: single-character changes flip about half the bits', () => {
  let flipped = 0
  let total = 0
  for (let i = 0; i < 2000; i++) {
    const a = BigInt(`0x${fingerprintHash(`finding-${i}`)}`)
    const b = BigInt(`0x${fingerprintHash(`finding-${i + 1}`)}`)
    let x = a ^ b
    while (x > 0n) {
      flipped += Number(x & 1n)
      x >>= 1n
    }
    total += 128
  }
  expect(flipped / total).toBeGreaterThan(0.45)
  expect(flipped / total).toBeLessThan(0.55)
})
