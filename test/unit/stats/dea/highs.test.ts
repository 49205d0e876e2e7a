/**
 * Every LP kind × returns × orientation on random data, solved by the production path
 * (runDea: dominance-reduced pricing, working sets, chunks) and by HiGHS on the full
 * textbook LP (highs-dea.ts). Scores agree to 1e-9, and so does infeasibility.
 */
import { describe, expect, test } from 'vitest'
import type { DeaData } from '../../../../src/stats/dea/data.ts'
import { frontierGroups, type Frontier } from '../../../../src/stats/dea/frontier.ts'
import type { LpKind } from '../../../../src/stats/dea/layout.ts'
import { EFFICIENT_TOL, runDea, type DeaModel } from '../../../../src/stats/dea/run.ts'
import { runGml } from '../../../../src/stats/dea/gml.ts'
import { randomPanel } from './random-panel.ts'
import { expectClose } from './close.ts'
import { highsSolve } from './highs-dea.ts'

/** Both solvers reach the same vertex value; 1e-9 leaves room for their different pivots. */
const AGREE = 1e-9

/** Units × years of log-normal data with a common size factor (realistic positive correlation), a few ties and duplicates. */
function panel(seed: string, units: number, years: number, m: number, s1: number, s2: number): { data: DeaData; period: Int32Array; unit: Int32Array } {
  const { data, period, unit } = randomPanel(['dea-highs', seed], { units, years, m, s1, s2, sizeSd: 0.8, trend: 0.05, round: true })
  const { d, values } = data
  // an exact twin and a unit that dominates another by a hair
  values.copyWithin(3 * d, 2 * d, 3 * d)
  values.copyWithin(5 * d, 4 * d, 5 * d)
  values[5 * d] *= 0.999
  return { data, period, unit }
}

async function reference(kind: LpKind, vrs: boolean, orientation: 'none' | 'input', data: DeaData, o: number, ref: Int32Array, exclude: boolean) {
  return highsSolve({ kind, vrs, orientation }, data, o, ref, exclude)
}

describe('runDea against HiGHS', () => {
  const cases: [DeaModel, 'constant' | 'variable', 'none' | 'input'][] = [
    ['sbm', 'constant', 'none'],
    ['sbm', 'variable', 'input'],
    ['super-sbm', 'constant', 'none'],
    ['super-sbm', 'variable', 'none'],
    ['super-sbm', 'constant', 'input'],
    ['super-sbm', 'variable', 'input'],
    ['ccr', 'constant', 'input'],
    ['bcc', 'variable', 'input'],
  ]
  const frontiers: Frontier[] = ['global', 'sequential']
  for (const frontier of frontiers) {
    for (const [model, returns, orientation] of cases) {
      test(`${model}, ${returns} returns, orientation ${orientation}, ${frontier} frontier`, async () => {
        const { data, period } = panel(`${model}-${returns}-${orientation}-${frontier}`, 12, 4, 2, 2, 1)
        const res = await runDea(data, period, 4, { model, returns, orientation, frontier })
        const vrs = returns === 'variable'
        const radial = model === 'ccr' || model === 'bcc'
        const groups = frontierGroups(period, 4, frontier)
        let supers = 0
        for (const g of groups) {
          for (const o of g.evaluate) {
            const first = await reference(radial ? 'radial' : 'sbm', radial ? model === 'bcc' : vrs, radial ? 'input' : orientation, data, o, g.ref, false)
            expect(first.status, `DMU ${o}`).toBe('optimal')
            expectClose(res.first[o], first.score, { abs: AGREE, label: `DMU ${o} first stage` })
            if (model !== 'super-sbm' || first.score < 1 - EFFICIENT_TOL) {
              expectClose(res.score[o], first.score, { abs: AGREE, label: `DMU ${o} score` })
              continue
            }
            const sup = await reference('super-sbm', vrs, orientation, data, o, g.ref, true)
            if (sup.status === 'infeasible') {
              expect(res.status[o], `DMU ${o}`).toBe('super-infeasible')
              expect(res.superInfeasible).toContain(o)
            } else {
              supers++
              expect(res.status[o], `DMU ${o}`).toBe('super')
              expectClose(res.score[o], sup.score, { abs: AGREE, label: `DMU ${o} super-SBM` })
            }
          }
        }
        if (model === 'super-sbm') expect(supers).toBeGreaterThan(0)
      })
    }
  }

  test('window frontier: means over the windows, each window against HiGHS', async () => {
    const { data, period } = panel('window', 10, 5, 2, 1, 1)
    const res = await runDea(data, period, 5, { model: 'super-sbm', returns: 'constant', orientation: 'none', frontier: 'window', window: 3 })
    const groups = frontierGroups(period, 5, 'window', 3)
    expect(groups.length).toBe(3)
    const sums = new Float64Array(data.n)
    const counts = new Int32Array(data.n)
    for (const g of groups) {
      for (const o of g.evaluate) {
        const s = await reference('sbm', false, 'none', data, o, g.ref, false)
        let v = s.score
        if (v >= 1 - EFFICIENT_TOL) {
          const sup = await reference('super-sbm', false, 'none', data, o, g.ref, true)
          if (sup.status === 'optimal') v = sup.score
        }
        sums[o] += v
        counts[o]++
      }
    }
    for (let o = 0; o < data.n; o++) {
      expect(res.evaluations[o]).toBe(counts[o])
      expectClose(res.score[o], sums[o] / counts[o], { abs: AGREE, label: `DMU ${o} window mean` })
    }
    // the first and last years are in one window, the middle year in three
    expect(res.evaluations[2]).toBe(3)
    expect(res.evaluations[0]).toBe(1)
  })

  test('GML distances against HiGHS, and GML = EC × TC', async () => {
    const { data, period, unit } = panel('gml', 10, 4, 2, 2, 1)
    const res = await runGml(data, unit, period, 4, { returns: 'constant' })
    const all = Int32Array.from({ length: data.n }, (_, j) => j)
    for (let o = 0; o < data.n; o++) {
      const g = await reference('ddf', false, 'none', data, o, all, false)
      expectClose(res.dGlobal[o], g.score, { abs: AGREE, label: `DMU ${o} global DDF` })
      const own = all.filter((j) => period[j] === period[o])
      const c = await reference('ddf', false, 'none', data, o, own, false)
      expectClose(res.dContemporaneous[o], c.score, { abs: AGREE, label: `DMU ${o} contemporaneous DDF` })
      if (period[o] === 0) {
        expect(Number.isNaN(res.gml[o])).toBe(true)
        expect(res.cum[o]).toBe(1)
      } else {
        expectClose(res.gml[o], res.ec[o] * res.tc[o], { rel: 1e-14, label: `DMU ${o} GML = EC × TC` })
        expectClose(res.cum[o], res.cum[o - 1] * res.gml[o], { rel: 1e-14, label: `DMU ${o} cumulative` })
      }
    }
  })
})
