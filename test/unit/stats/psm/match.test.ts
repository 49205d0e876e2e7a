/**
 * The matcher (src/stats/psm/match.ts): the documented greedy rule on hand-made ties, the
 * R reference pairs from R's own scores, and the fast (sorted, binary-search) matcher against a
 * brute-force O(n²) transcription of the rule on random data full of ties.
 */
import { describe, expect, test } from 'vitest'
import { attAbadieImbens } from '../../../../src/stats/psm/att.ts'
import { match, matchWeights, offSupport, type Caliper, type MatchOptions } from '../../../../src/stats/psm/match.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import fx from '../../../fixtures/psm/psm.json' with { type: 'json' }
import { expectClose, readCsvFrame } from '../helpers.ts'

const opts = (o: Partial<MatchOptions>): MatchOptions => ({ method: 'nearest', k: 1, replace: false, caliper: null, bandwidth: 0.06, ...o })
const pairs = (m: { t: Int32Array; c: Int32Array }) => Array.from(m.t, (t, j) => [t, m.c[j]])

/** The rule as written in docs/methods.md, quadratic. */
function bruteForce(ps: Float64Array, lp: Float64Array, tr: Uint8Array, k: number, replace: boolean, cal: Caliper | null): number[][] {
  const T = [...ps.keys()].filter((i) => tr[i]).sort((a, b) => ps[b] - ps[a] || a - b)
  const C = [...ps.keys()].filter((i) => !tr[i])
  const used = new Set<number>(), got = new Map<number, number[]>()
  const ok = (t: number, c: number) => !cal || (cal.scale === 'ps' ? Math.abs(ps[t] - ps[c]) <= cal.width : Math.abs(lp[c] - lp[t]) <= cal.width)
  const out: number[][] = []
  for (let r = 0; r < k; r++) {
    for (const t of T) {
      const mine = got.get(t) ?? []
      if (mine.length < r) continue
      let best = -1
      for (const c of C) {
        if (!ok(t, c) || (replace ? mine.includes(c) : used.has(c))) continue
        const d = Math.abs(ps[t] - ps[c]), db = best < 0 ? Infinity : Math.abs(ps[t] - ps[best])
        if (d < db || (d === db && c < best)) best = c
      }
      if (best < 0) continue
      used.add(best); mine.push(best); got.set(t, mine)
      out.push([t, best])
    }
  }
  return out
}

describe('the documented rule on hand-made ties', () => {
  test('treated from the largest score; equal distances on both sides go to the earlier row', () => {
    // rows: 0 T .5, 1 C .4, 2 C .6, 3 T .5 (tie with row 0: row 0 first), 4 C .6 (duplicate of row 2)
    const ps = Float64Array.of(0.5, 0.4, 0.6, 0.5, 0.6)
    const m = match({ ps, lp: ps, treated: Uint8Array.of(1, 0, 0, 1, 0) }, opts({}))
    // |0.5 - 0.4| and |0.6 - 0.5| differ in floating point: the nearer one wins, not the earlier row.
    const d1 = Math.abs(0.5 - 0.4), d2 = Math.abs(0.5 - 0.6)
    const first = d1 < d2 ? 1 : d2 < d1 ? 2 : 1
    expect(pairs(m)[0]).toEqual([0, first])
    expect(pairs(m)).toEqual(bruteForce(ps, ps, Uint8Array.of(1, 0, 0, 1, 0), 1, false, null))
  })

  test('exact ties in distance take the earliest row, on either side', () => {
    const ps = Float64Array.of(0.25, 0.5, 0.75, 0.5, 0.25)
    const tr = Uint8Array.of(0, 1, 0, 1, 0)
    // row 1 (0.5, first treated by row order) sees 0.25 and 0.75 at exactly 0.25: row 0; row 3 then takes row 2 (0.75) before row 4 (0.25)? both 0.25 away: row 2.
    expect(pairs(match({ ps, lp: ps, treated: tr }, opts({})))).toEqual([[1, 0], [3, 2]])
    // With replacement both take row 0.
    expect(pairs(match({ ps, lp: ps, treated: tr }, opts({ replace: true })))).toEqual([[1, 0], [3, 0]])
  })

  test('rounds: every treated row gets its first match before any gets a second', () => {
    const ps = Float64Array.of(0.9, 0.85, 0.8, 0.5, 0.45, 0.4)
    const tr = Uint8Array.of(1, 0, 0, 1, 0, 0)
    const m = match({ ps, lp: ps, treated: tr }, opts({ k: 2 }))
    expect(pairs(m)).toEqual([[0, 1], [3, 4], [0, 2], [3, 5]])
    expect(Array.from(m.w)).toEqual([0.5, 0.5, 0.5, 0.5])
  })

  test('a caliper leaves a treated row unmatched; common support marks the treated rows outside the controls\' range', () => {
    const ps = Float64Array.of(0.9, 0.5, 0.52, 0.1)
    const tr = Uint8Array.of(1, 1, 0, 0)
    expect(pairs(match({ ps, lp: ps, treated: tr }, opts({ caliper: { scale: 'ps', width: 0.05 } })))).toEqual([[1, 2]])
    expect(Array.from(offSupport(ps, tr))).toEqual([1, 0, 0, 0])
  })
})

describe('the fast matcher = the brute-force rule on random data with ties', () => {
  const rng = new Rng(['psm-match-test'])
  for (let rep = 0; rep < 12; rep++) {
    const n = 40 + rng.int(80)
    // Scores on a coarse grid, so many distances tie exactly.
    const ps = Float64Array.from({ length: n }, () => (1 + rng.int(30)) / 32)
    const lp = Float64Array.from(ps, (p) => Math.log(p / (1 - p)))
    const tr = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0))
    const k = 1 + (rep % 4), replace = rep % 2 === 1
    const cal: Caliper | null = rep % 3 === 0 ? null : rep % 3 === 1 ? { scale: 'ps', width: 0.07 } : { scale: 'lp', width: 0.4 }
    test(`rep ${rep}: n ${n}, 1:${k}, ${replace ? 'with' : 'without'} replacement, caliper ${cal ? `${cal.width} (${cal.scale})` : 'none'}`, () => {
      expect(pairs(match({ ps, lp, treated: tr }, opts({ k, replace, caliper: cal })))).toEqual(bruteForce(ps, lp, tr, k, replace, cal))
    })
  }
})

test('R\'s own scores give R\'s pairs (lalonde 1:4 with replacement)', () => {
  const L = readCsvFrame('test/fixtures/psm/lalonde.csv')
  const R = fx.lalonde.nn4_replace
  const ps = Float64Array.from(R.pscore), lp = Float64Array.from(R.lp)
  const m = match({ ps, lp, treated: Uint8Array.from(L.numbers('treat')) }, opts({ k: 4, replace: true }))
  expect(Array.from(m.t)).toEqual(R.matches.t)
  expect(Array.from(m.c)).toEqual(R.matches.c)
  const w = matchWeights(m, ps.length)
  R.weight.forEach((v, i) => expectClose(w[i], v, { rel: 1e-12, abs: 1e-15 }, `weight ${i}`))
})

test('ATT and its variance by hand: two pairs and a control serving twice', () => {
  // t0 (y 10) and t1 (y 4) both matched to c2 (y 1), with replacement 1:1.
  const m = { t: Int32Array.of(0, 1), c: Int32Array.of(2, 2), distance: Float64Array.of(0, 0), w: Float64Array.of(1, 1) }
  const y = Float64Array.of(10, 4, 1, 3, 7)
  const ps = Float64Array.of(0.5, 0.5, 0.5, 0.6, 0.2)
  const r = attAbadieImbens(m, y, [{ rows: Int32Array.of(0, 1, 2, 3, 4), ps, treated: Uint8Array.of(1, 1, 0, 0, 0) }])
  expect(r.att).toBe(6) // ((10 - 1) + (4 - 1)) / 2
  // σ²(c2): its 2 nearest other controls are rows 3 (0.1 away) and 4 (0.3): 2/3 (1 - 5)² = 32/3; K(K-1) = 2.
  const v = ((3 ** 2 + 3 ** 2) + 2 * (32 / 3)) / 4
  expectClose(r.se, Math.sqrt(v), { rel: 1e-14 }, 'se')
})
