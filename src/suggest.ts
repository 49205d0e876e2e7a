/**
 * "Did you mean …?": the nearest candidate by optimal-string-alignment distance
 * (Damerau–Levenshtein with adjacent transpositions), if it is near enough to be a typo.
 *
 * Checking one unknown name against the 300,000 columns of a large `derive`, once per error,
 * made error reports quadratic; the search is pruned without changing its answer: a
 * candidate whose length differs from the word's by more than the best distance so far
 * cannot beat or tie it, and a distance stops being computed once it must exceed that best.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  const w = word.toLowerCase()
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) > bestD) continue
    const d = osaDistance(w, c.toLowerCase(), bestD)
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

/**
 * OSA distance of `a` and `b`; with `max`, any value above `max` once the distance is known
 * to exceed it. (A row's minimum is at least the smaller of the previous row's minimum and
 * the one before's plus one, so two rows above `max` and `max − 1` settle it.)
 */
export function osaDistance(a: string, b: string, max = Infinity): number {
  const n = a.length, m = b.length
  if (n === 0) return m
  if (m === 0) return n
  let prev2 = new Array<number>(m + 1).fill(0)
  let prev = Array.from({ length: m + 1 }, (_, j) => j)
  let cur = new Array<number>(m + 1).fill(0)
  let prevMin = 0
  for (let i = 1; i <= n; i++) {
    cur[0] = i
    let rowMin = i
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1)
      cur[j] = v
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max && prevMin >= max) return max + 1
    prevMin = rowMin
    ;[prev2, prev, cur] = [prev, cur, prev2]
  }
  return prev[m]
}
