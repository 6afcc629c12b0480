/** Optimal string alignment distance: Levenshtein plus transposition of adjacent characters (`kuberentes`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/** Spelling-insensitive form: `bucket_name`, `BucketName` and `bucket-name` all become `bucketname`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_\-.\s]/g, '')
}

/**
 * The known key a written key most likely meant: the same key in another spelling (case, snake_case vs
 * camelCase), else the closest one within a small edit distance. Undefined when nothing is close.
 */
export function closestKey(written: string, candidates: Iterable<string>): string | undefined {
  const norm = normalizeKey(written)
  let best: {key: string; distance: number} | undefined
  for (const candidate of candidates) {
    if (candidate === written) continue
    const cn = normalizeKey(candidate)
    if (cn === norm) return candidate
    const distance = editDistance(written.toLowerCase(), candidate.toLowerCase())
    const normDistance = editDistance(norm, cn)
    const score = Math.min(distance, normDistance)
    if (!best || score < best.distance) best = {key: candidate, distance: score}
  }
  if (!best) return undefined
  const allowed = norm.length <= 4 ? 1 : norm.length <= 9 ? 2 : 3
  return best.distance <= allowed ? best.key : undefined
}
