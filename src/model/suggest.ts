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

// Rows reused across calls: suggestions for thousands of unknown keys must not allocate a table for each pair.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

/**
 * editDistance when it is at most `max`, else max + 1, found without finishing the table when possible: a row's
 * minimum never decreases further down, so once it passes `max` the distance does too.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  if (rows[0].length <= b.length) rows = rows.map(() => new Int32Array(b.length + 1))
  let [before, previous, current] = rows
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        d = Math.min(d, before[j - 2] + 1)
      current[j] = d
      if (d < rowMin) rowMin = d
    }
    if (rowMin > max) return max + 1
    ;[before, previous, current] = [previous, current, before]
  }
  return Math.min(previous[b.length], max + 1)
}

/** Spelling-insensitive form: `bucket_name`, `BucketName` and `bucket-name` all become `bucketname`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_\-.\s]/g, '')
}

/** Candidate keys with their lower-case and normalized forms computed once, for many lookups against one set. */
export class KeyIndex {
  private readonly entries: Array<{key: string; lower: string; norm: string}>

  constructor(keys: Iterable<string>) {
    this.entries = [...keys].map((key) => ({key, lower: key.toLowerCase(), norm: normalizeKey(key)}))
  }

  /** The first key spelled the same way apart from case and separators (`bucket_name` for `BucketName`). */
  respelling(written: string): string | undefined {
    const norm = normalizeKey(written)
    return this.entries.find((e) => e.norm === norm)?.key
  }

  /**
   * The key a written key most likely meant: the same key in another spelling (case, snake_case vs camelCase),
   * else the closest one within a small edit distance. Undefined when nothing is close.
   */
  closest(written: string): string | undefined {
    const norm = normalizeKey(written)
    const lower = written.toLowerCase()
    const allowed = norm.length <= 4 ? 1 : norm.length <= 9 ? 2 : 3
    let best: {key: string; distance: number} | undefined
    for (const candidate of this.entries) {
      if (candidate.key === written) continue
      if (candidate.norm === norm) return candidate.key
      // Only a candidate closer than the best so far (and within the allowance) can change the answer, so the
      // distance is computed only that far: a file of thousands of unknown keys stays fast.
      const limit = (best ? best.distance : allowed + 1) - 1
      if (limit < 0) continue
      const score = Math.min(editDistanceWithin(lower, candidate.lower, limit), editDistanceWithin(norm, candidate.norm, limit))
      if (score <= limit) best = {key: candidate.key, distance: score}
    }
    return best?.key
  }
}
