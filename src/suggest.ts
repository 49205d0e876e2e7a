/**
 * "Did you mean …?": the nearest candidate by optimal-string-alignment distance
 * (Damerau–Levenshtein with adjacent transpositions), if it is near enough to be a typo.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  const w = word.toLowerCase()
  for (const c of candidates) {
    const d = osaDistance(w, c.toLowerCase())
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c
      bestD = d
    }
  }
  if (best === undefined) return undefined
  // A typo changes at most a third of the word (and at least one edit is allowed).
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3))
  return bestD <= limit ? best : undefined
}

export function osaDistance(a: string, b: string): number {
  const n = a.length, m = b.length
  if (n === 0) return m
  if (m === 0) return n
  let prev2 = new Array<number>(m + 1).fill(0)
  let prev = Array.from({ length: m + 1 }, (_, j) => j)
  let cur = new Array<number>(m + 1).fill(0)
  for (let i = 1; i <= n; i++) {
    cur[0] = i
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1)
      cur[j] = v
    }
    ;[prev2, prev, cur] = [prev, cur, prev2]
  }
  return prev[m]
}
