/**
 * measure-gie on the bundled demo panel (4,200 city-years) against the independent
 * scipy/HiGHS fixture (test/fixtures/dea/make.py → demo.json), one file per frontier so each
 * stays within a few seconds.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../../../src/artifacts/frame.ts'
import stage from '../../../../stages/measure-gie/stage.ts'
import type { MeasureGieParams } from '../../../../stages/measure-gie/params.ts'
import { makeTestContext } from '../../../helpers/context.ts'
import { expandStatus, expectClose, maxRelDiff, slackRatio } from './close.ts'
import { DEMO_COLUMNS, demoColumnsDigest } from './demo-panel.ts'
import { csvRecords } from '../../../helpers/csv.ts'

/**
 * The issue asks for 1e-6; both solvers reach the same vertices and agree to ~5e-11 (the
 * fixture prints 12 significant digits), so 1e-9 catches any regression long before 1e-6.
 */
export const DEMO_AGREE = 1e-9
/** Slacks of a unique optimum, relative to max(1, |slack|). */
const SLACK_AGREE = 1e-5

let cachedFixture: any
let cachedFrame: Frame | undefined
function fixture(): any {
  cachedFixture ??= JSON.parse(readFileSync(new URL('../../../fixtures/dea/demo.json', import.meta.url), 'utf8'))
  return cachedFixture
}
function load(): { fixture: any; frame: Frame } {
  return { fixture: fixture(), frame: demoFrame() }
}
/**
 * The demo panel's city, year and DEA columns as the fixture recorded them: the comparison
 * runs on exactly the data the reference was computed from, and a separate test says whether
 * the bundled panel still holds the same numbers.
 */
function demoFrame(): Frame {
  if (!cachedFrame) {
    const v = fixture().data.values
    const cols: Record<string, Float64Array | string[]> = { city: v.city, year: Float64Array.from(v.year) }
    for (const c of [...DEMO_COLUMNS.inputs, ...DEMO_COLUMNS.desirable, ...DEMO_COLUMNS.undesirable]) cols[c] = Float64Array.from(v[c], (x: number | null) => (x === null ? NaN : x))
    cachedFrame = Frame.from(cols)
  }
  return cachedFrame
}

export async function runDemo(over: Partial<MeasureGieParams>, jobs = 1) {
  const frame = demoFrame()
  const params: MeasureGieParams = { from: 'panel', model: 'super-sbm', frontier: 'global', window: 3, ...DEMO_COLUMNS, inputs: [...DEMO_COLUMNS.inputs], desirable: [...DEMO_COLUMNS.desirable], undesirable: [...DEMO_COLUMNS.undesirable], as: 'gie', zeros: 'replace', zero_value: 0.01, super_infeasible: 'one', ...over }
  const ctx = makeTestContext({ params, inputs: { panel: frame }, panel: { unit: 'city', time: 'year' }, jobs })
  return { ctx, result: await stage.run(ctx) }
}

export function defineDemoSuite(frontier: string): void {
  describe(`demo panel, ${frontier} frontier, against scipy/HiGHS`, () => {
    test('the fixture was made from the current demo panel', () => {
      expect(load().fixture.data.digest, 'the DEA columns of pipelines/data/cluster_gie_panel.csv changed: rerun /usr/bin/python3 test/fixtures/dea/make.py demo --jobs 2').toBe(demoColumnsDigest())
    })
    const { fixture } = load()
    for (const c of fixture.cases.filter((x: any) => x.frontier === frontier)) {
      const radial = c.model === 'ccr' || c.model === 'bcc'
      test(`${c.model}, ${c.returns} returns`, async () => {
        const { result } = await runDemo({ model: c.model, returns: radial ? undefined : c.returns, frontier: c.frontier })
        const rows = csvRecords(result.files!['scores.csv'] as string)
        expect(rows).toHaveLength(4200)
        const diff = maxRelDiff(
          rows.map((r) => Number(r.score)),
          c.scores,
        )
        expect(diff.max, `largest difference at DMU ${diff.at} (${rows[Math.max(0, diff.at)]?.city}@${rows[Math.max(0, diff.at)]?.year})`).toBeLessThan(DEMO_AGREE)
        expect(rows.map((r) => r.status)).toEqual(expandStatus(c.status, c.scores.length))
        const names = [...DEMO_COLUMNS.inputs, ...DEMO_COLUMNS.desirable, ...DEMO_COLUMNS.undesirable]
        let compared = 0
        c.slacks.rows.forEach((k: number, q: number) => {
          const r = rows[k]
          if (frontier === 'window') return
          if (r.unique === '1') {
            compared++
            names.forEach((n, i) => {
              const want = c.slacks.values[q][i]
              expectClose(Number(r[`slack_${n}`]), want, { abs: SLACK_AGREE * Math.max(1, Math.abs(want)), label: `${r.city}@${r.year} slack ${n}` })
            })
          }
          // unique or not, our slacks give back our score through Tone's ratio
          if (!radial) expectClose(slackRatio(r, DEMO_COLUMNS, false), Number(r.score), { rel: 1e-7, label: `${r.city}@${r.year} slack ratio` })
        })
        if (frontier !== 'window') expect(compared).toBeGreaterThan(0)
      })
    }
  })
}

export function defineDemoGml(): void {
  test('GML on the demo panel: distances, index and efficiency change', async () => {
    const { fixture } = load()
    const { result } = await runDemo({ model: 'gml' })
    const rows = csvRecords(result.files!['scores.csv'] as string)
    const ref = fixture.gml.constant
    for (const key of ['d_global', 'd_contemporaneous', 'gml', 'ec'] as const) {
      const got = rows.map((r) => (r[key] === '' ? NaN : Number(r[key])))
      const diff = maxRelDiff(got, ref[key])
      expect(diff.max, `${key}: largest difference at DMU ${diff.at}`).toBeLessThan(DEMO_AGREE)
    }
    expect(result.facts!['n(gie)']).toBe(280 * 14)
  })
}
