/**
 * A 128-bit non-cryptographic hash (four multiply-xorshift lanes over UTF-16 code units) as 32 hex digits.
 * Fingerprints only need to be stable and practically collision-free; node:crypto would add ~5 ms to every
 * lint start-up, which matters on a command that runs on every merge request.
 */
export function fingerprintHash(text: string): string {
  let a = 0x9e3779b9
  let b = 0x85ebca6b
  let c = 0xc2b2ae35
  let d = 0x27d4eb2f
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    // xor, odd multiply and xor-shift are each invertible, so two inputs that differ never merge a lane's state.
    a = Math.imul(a ^ unit, 0x9e3779b1)
    a ^= a >>> 15
    b = Math.imul(b ^ unit, 0x85ebca77)
    b ^= b >>> 13
    c = Math.imul(c ^ unit, 0xc2b2ae3d)
    c ^= c >>> 16
    d = Math.imul(d ^ unit, 0x27d4eb2d)
    d ^= d >>> 11
  }
  // Final avalanche mixes every lane into the others so nearby inputs differ in all digits.
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(d ^ (d >>> 13), 0xc2b2ae35)
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
  c = Math.imul(c ^ (c >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35)
  d = Math.imul(d ^ (d >>> 16), 0x85ebca6b) ^ Math.imul(c ^ (c >>> 13), 0xc2b2ae35)
  a ^= Math.imul(d ^ (d >>> 15), 0x27d4eb2d)
  return [a, b, c, d].map((lane) => (lane >>> 0).toString(16).padStart(8, '0')).join('')
}
