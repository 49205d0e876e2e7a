/**
 * Published examples, reproduced to the digits printed in the papers, and each LP checked
 * against HiGHS (test/unit/stats/dea/highs-dea.ts) as well.
 *
 * Data:
 * - Tone (2002), Table 1: six power plants, four inputs, two outputs (Doyle & Green's data;
 *   also deaR's `Power_plants`). Published input-oriented CRS super-SBM scores, Table 3.
 * - Tone (2001), EJOR 130(3), 498–509, the worked example: five DMUs A–E, two inputs, two
 *   outputs (test/fixtures/dea/tone2001_sbm.csv, exported from deaR's `Tone2001` data set,
 *   data only). Published CRS SBM scores A 0.7980 (= 79/99), B 0.5682 (= 25/44), C 1,
 *   D 0.6667 (= 2/3), E 1, and super-SBM scores of the efficient DMUs C 1.3333, E 1.4545.
 * - Tone (2003), GRIPS Research Report I-2003-0005, pp. 10–11 (also Cooper, Seiford & Tone
 *   2007, §13.3, and deaR's `Tone2003`): nine DMUs, one input fixed at 1, one good and one
 *   bad output; published SBM scores under variable returns.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { deaData, type DeaData } from '../../../../src/stats/dea/data.ts'
import { layoutFor, type LpSpec } from '../../../../src/stats/dea/layout.ts'
import { runDea } from '../../../../src/stats/dea/run.ts'
import { UnitSolver, WorkingSet } from '../../../../src/stats/dea/solve-unit.ts'
import { expectClose } from './close.ts'
import { highsSolve } from './highs-dea.ts'

/** The papers print four decimals: half a unit of the last digit (1.15625 prints as 1.1563), plus float room. */
const PRINTED = 5e-5 + 1e-12
/** Our LP and HiGHS agree far below the printed digits. */
const HIGHS_AGREE = 1e-9

const POWER_PLANTS = deaData(
  [[80, 600, 54, 8], [65, 200, 97, 1], [83, 400, 72, 4], [40, 1000, 75, 7], [52, 600, 20, 3], [94, 700, 36, 5]],
  [[90, 5], [58, 1], [60, 7], [80, 10], [72, 8], [96, 6]],
)

const TONE_2003 = deaData(
  [[1], [1], [1], [1], [1], [1], [1], [1], [1]],
  [[1], [2], [6], [8], [9], [5], [4], [6], [4]],
  [[1], [1], [2], [4], [7], [2], [3], [4], [6]],
)

/** Tone (2001)'s five DMUs from the committed CSV (DMU, Input1, Input2, Output1, Output2). */
const TONE_2001 = (() => {
  const rows = readFileSync(new URL('../../../fixtures/dea/tone2001_sbm.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
  return deaData(rows.map((r) => [Number(r[1]), Number(r[2])]), rows.map((r) => [Number(r[3]), Number(r[4])]))
})()

async function scoresWithHighs(data: DeaData, spec: LpSpec, excludeSelf: boolean): Promise<number[]> {
  const solver = new UnitSolver(data, layoutFor(spec, data))
  const ref = Int32Array.from({ length: data.n }, (_, j) => j)
  const out: number[] = []
  for (let o = 0; o < data.n; o++) {
    const mine = solver.solve(o, ref, excludeSelf, new WorkingSet())
    const ref2 = await highsSolve(spec, data, o, ref, excludeSelf)
    expect(mine.status).toBe(ref2.status)
    expectClose(mine.score, ref2.score, { abs: HIGHS_AGREE, label: `${spec.kind} DMU ${o} vs HiGHS` })
    out.push(mine.score)
  }
  return out
}

describe('published examples', () => {
  test('Tone (2002): input-oriented super-SBM, constant returns, power plants A–F', async () => {
    const published = [1.0116, 1.7083, 1.0781, 1.1563, 1.7988, 1.0198]
    const got = await scoresWithHighs(POWER_PLANTS, { kind: 'super-sbm', vrs: false, orientation: 'input' }, true)
    got.forEach((v, k) => expectClose(v, published[k], { abs: PRINTED, label: `plant ${'ABCDEF'[k]}` }))
    // every plant is CCR- and SBM-efficient, so the super-SBM run reports these δ*
    const run = await runDea(POWER_PLANTS, new Int32Array(6), 1, { model: 'super-sbm', returns: 'constant', orientation: 'input', frontier: 'global' })
    expect(run.status).toEqual(['super', 'super', 'super', 'super', 'super', 'super'])
    run.score.forEach((v, k) => expectClose(v, published[k], { abs: PRINTED, label: `plant ${'ABCDEF'[k]} via runDea` }))
  })

  test('Tone (2001): SBM, constant returns, DMUs A–E, and the super-SBM of the efficient ones', async () => {
    const sbm = await scoresWithHighs(TONE_2001, { kind: 'sbm', vrs: false, orientation: 'none' }, false)
    const exact = [79 / 99, 25 / 44, 1, 2 / 3, 1]
    sbm.forEach((v, k) => expectClose(v, exact[k], { abs: 1e-9, label: `DMU ${'ABCDE'[k]} (published ${[0.798, 0.5682, 1, 0.6667, 1][k]})` }))
    const run = await runDea(TONE_2001, new Int32Array(5), 1, { model: 'super-sbm', returns: 'constant', orientation: 'none', frontier: 'global' })
    expectClose(run.score[2], 1.3333, { abs: PRINTED, label: 'super-SBM of C' })
    expectClose(run.score[4], 1.4545, { abs: PRINTED, label: 'super-SBM of E' })
    ;[0, 1, 3].forEach((k) => expectClose(run.score[k], exact[k], { abs: 1e-9, label: `inefficient DMU ${'ABCDE'[k]} keeps its SBM score` }))
  })

  test('Tone (2003): SBM with one undesirable output, variable returns, DMUs A–I', async () => {
    const published = [0.6667, 1, 1, 1, 1, 0.9091, 0.7059, 0.8, 0.6]
    const got = await scoresWithHighs(TONE_2003, { kind: 'sbm', vrs: true, orientation: 'none' }, false)
    got.forEach((v, k) => expectClose(v, published[k], { abs: PRINTED, label: `DMU ${'ABCDEFGHI'[k]}` }))
  })

  test('Tone (2003): the projections printed with the scores (targets of F, G, H, I)', async () => {
    const run = await runDea(TONE_2003, new Int32Array(9), 1, { model: 'sbm', returns: 'variable', orientation: 'none', frontier: 'global' })
    // F (5, 2) → C (6, 2); G (4, 3) → C (6, 2); H (6, 4) → C (6, 2); I (4, 6) → D (8, 4)
    const targets: Record<number, [number, number]> = { 5: [6, 2], 6: [6, 2], 7: [6, 2], 8: [8, 4] }
    for (const [o, [g, b]] of Object.entries(targets)) {
      expectClose(run.targets[Number(o) * 3 + 1], g, { abs: 1e-9, label: `target good output of ${'ABCDEFGHI'[Number(o)]}` })
      expectClose(run.targets[Number(o) * 3 + 2], b, { abs: 1e-9, label: `target bad output of ${'ABCDEFGHI'[Number(o)]}` })
    }
  })
})
