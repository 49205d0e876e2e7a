/**
 * The answer key of the regional-integration study (yrd_truth.json): the true parameters of
 * the three YRD indicators and the realised effects of YRD membership (Y) and the cluster
 * pilot (P) on the coupling coordination degree D that pipelines/yrd-integration.yaml
 * measures. D is nonlinear in the indicators, so its effects are realised ones: D of the
 * generated world minus D of a counterfactual world built from the same draws, with the
 * measurement held fixed (min–max bounds and entropy weights of the generated world).
 * Computed from the complete series, before the panel's gaps are cut.
 */
import { coordinate } from '../../../src/stats/coupling/ccd.ts'
import { entropyIndex } from '../../../src/stats/entropy/weights.ts'
import type { City } from './cities.ts'
import type { World } from './dgp.ts'
import { YRD } from './params.ts'
import type { YrdWorld } from './yrd.ts'

/** The study's subsystems: indicator → direction (+1 more is better, −1 less is better). */
export const YRD_SUBSYSTEMS = {
  economy: { gdp_pc: 1, trade: 1 },
  innovation: { innov: 1, tech_market: 1 },
  environment: { green_area: 1, so2: -1, pm25: -1 },
} as const satisfies Record<string, Record<string, 1 | -1>>

const r6 = (x: number) => Number(x.toPrecision(6))
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

/** One scenario: the panel world and the YRD world it is paired with. */
export interface Scenario {
  readonly panel: World
  readonly yrd: YrdWorld
}

function column(s: Scenario, name: string): Float64Array {
  return name in s.yrd.columns ? s.yrd.columns[name as keyof YrdWorld['columns']] : s.panel.columns[name]
}

/**
 * Min–max bounds and entropy weights of each subsystem, from the generated world (pooled over
 * all city-years): the weights are the coupling stage's own kernel's.
 */
function measurement(actual: Scenario) {
  return Object.entries(YRD_SUBSYSTEMS).map(([name, indicators]) => {
    const inputs = Object.entries(indicators).map(([col, dir]) => ({
      column: col, direction: dir > 0 ? ('positive' as const) : ('negative' as const), values: column(actual, col),
    }))
    const { indicators: weights } = entropyIndex(inputs)
    const parts = inputs.map((ind, q) => {
      let lo = Infinity, hi = -Infinity
      for (const v of ind.values) { lo = Math.min(lo, v); hi = Math.max(hi, v) }
      return { col: ind.column, dir: indicators[ind.column as keyof typeof indicators] as number, lo, hi, w: weights[q].weight }
    })
    return { name, parts }
  })
}

/** D per city-year of a scenario under fixed measurement (equal subsystem weights). */
function coordination(s: Scenario, m: ReturnType<typeof measurement>): Float64Array {
  const cols = m.map((sub) => sub.parts.map((p) => column(s, p.col)))
  const n = cols[0][0].length
  const alpha = m.map(() => 1 / m.length)
  const D = new Float64Array(n)
  for (let r = 0; r < n; r++) {
    const u = m.map((sub, j) => sub.parts.reduce((acc, p, q) => acc + p.w * (p.dir > 0 ? cols[j][q][r] - p.lo : p.hi - cols[j][q][r]) / (p.hi - p.lo), 0))
    D[r] = coordinate(u, alpha, 0).D
  }
  return D
}

export function computeYrdTruth(
  seed: number,
  cities: readonly City[],
  membership: ReadonlyMap<string, number>,
  worlds: { actual: Scenario; noYrd: Scenario; noPilot: Scenario; neither: Scenario },
) {
  const m = measurement(worlds.actual)
  const D = Object.fromEntries(Object.entries(worlds).map(([k, s]) => [k, coordination(s, m)])) as Record<keyof typeof worlds, Float64Array>
  const { member, pilot } = worlds.actual.yrd
  const rows = (pred: (r: number) => boolean) => Array.from({ length: member.length }, (_, r) => r).filter(pred)
  const effect = (a: Float64Array, b: Float64Array, where: number[]) => ({ city_years: where.length, att: r6(mean(where.map((r) => a[r] - b[r]))) })
  const members = rows((r) => member[r] === 1)
  const both = rows((r) => member[r] === 1 && pilot[r] === 1)
  const inPanel = cities.filter((c) => membership.has(c.code))
  const byDocument = (year: number) => inPanel.filter((c) => membership.get(c.code) === year).length
  return {
    description:
      'Answer key of the regional-integration study (pipelines/yrd-integration.yaml) on the demo panel: YRD membership from yrd_membership.csv, indicators in yrd_indicators.csv (see README.md).',
    generator: 'pipelines/data/make/demo-panel.ts',
    seed,
    membership: {
      listed: membership.size,
      in_panel: inPanel.length,
      joined_in_panel: { 2010: byDocument(2010), 2016: byDocument(2016), 2019: byDocument(2019) },
      member_city_years: members.length,
      member_pilot_city_years: both.length,
    },
    parameters: {
      log_points: YRD,
      note: 'ln tech_market = … + 0.15 Y + 0.10 P + 0.12 Y·P: a policy-mix regression of ln tech_market recovers these three.',
    },
    coupling: {
      subsystems: YRD_SUBSYSTEMS,
      normalization: 'min-max over all city-years, shift 0; entropy weights pooled over all city-years; equal subsystem weights',
      weights: Object.fromEntries(m.map((s) => [s.name, Object.fromEntries(s.parts.map((p) => [p.col, r6(p.w)]))])),
      mean_D: r6(mean(Array.from(D.actual))),
      effects_on_D: {
        yrd_on_members: { ...effect(D.actual, D.noYrd, members), definition: 'D(Y, P) − D(0, P) over member city-years' },
        pilot_on_pilots: {
          ...effect(D.actual, D.noPilot, rows((r) => pilot[r] === 1)),
          definition: 'D(Y, P) − D(Y, 0) over pilot city-years (the pilot\'s own effect, spillovers kept)',
        },
        yrd_on_members_without_pilot: {
          ...effect(D.noPilot, D.neither, rows((r) => member[r] === 1 && pilot[r] === 0)),
          definition: 'D(1, 0) − D(0, 0) over member city-years without the pilot (the Y coefficient of the interacted model)',
        },
        pilot_on_pilots_outside_yrd: {
          ...effect(D.noYrd, D.neither, rows((r) => member[r] === 0 && pilot[r] === 1)),
          definition: 'D(0, 1) − D(0, 0) over pilot city-years outside the YRD (the P coefficient of the interacted model)',
        },
        synergy_on_both: {
          city_years: both.length,
          att: r6(mean(both.map((r) => D.actual[r] - D.noPilot[r] - D.noYrd[r] + D.neither[r]))),
          definition: 'D(1,1) − D(1,0) − D(0,1) + D(0,0) over city-years with both',
        },
      },
    },
  }
}

export type YrdTruth = ReturnType<typeof computeYrdTruth>
