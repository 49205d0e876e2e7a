/**
 * The answer key of the demo panel: the true parameters and the realised effects, computed
 * by comparing the generated world with counterfactual worlds built from the same draws:
 *   direct effect on a pilot city-year   = Y(own on, spill on)  − Y(own off, spill on)
 *   spillover received by a city-year    = Y(own off, spill on) − Y(own off, spill off)
 * averaged over the treated city-years (D = 1) or over never-treated city-years.
 * Log outcomes use the rounded patent counts actually written, so rounding is included.
 */
import type { City } from './cities.ts'
import type { World } from './dgp.ts'
import type { MissingColumn } from './missing.ts'
import {
  ATTENTION, ENERGY, KAPPA, MEDIATORS, MISSING, OTHER_POLICIES, PATENT_NOISE, POLICY, TOTAL_EFFECT, TWO_YEAR_GAP, YEARS,
  type MediatorName,
} from './params.ts'
import { CUTOFF_KM, EARTH_RADIUS_KM } from './weights.ts'

export type Truth = ReturnType<typeof computeTruth>

/** Six significant digits: enough for an answer key, and stable text. */
const r6 = (x: number) => Number(x.toPrecision(6))

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

type Worlds = { actual: World; noOwn: World; none: World }

export function computeTruth(seed: number, cities: readonly City[], worlds: Worlds, mask: Record<MissingColumn, Uint8Array>) {
  const T = YEARS.length
  const { actual, noOwn, none } = worlds
  const lnG = (w: World, r: number) => Math.log(w.columns.green_inv[r] + w.columns.green_uti[r])
  const rowsWhere = (pred: (i: number, t: number) => boolean) => {
    const out: number[] = []
    for (let i = 0; i < cities.length; i++) for (let t = 0; t < T; t++) if (pred(i, t)) out.push(i * T + t)
    return out
  }
  const treatedRows = rowsWhere((i, t) => actual.treated[i * T + t] === 1)
  const att = (f: (w: World, r: number) => number, rows = treatedRows) => r6(mean(rows.map((r) => f(actual, r) - f(noOwn, r))))
  const treatedIn = (pred: (c: City) => boolean) => treatedRows.filter((r) => pred(cities[Math.floor(r / T)]))

  const mediators = Object.fromEntries(
    (Object.keys(MEDIATORS) as MediatorName[]).map((m) => {
      const { a, b, scale } = MEDIATORS[m]
      const f = scale === 'log' ? (w: World, r: number) => Math.log(w.columns[m][r]) : (w: World, r: number) => w.columns[m][r]
      return [m, { scale, a, b, ab: r6(a * b), share_of_total: r6((a * b) / TOTAL_EFFECT), realised_att: att(f) }]
    }),
  )

  // Environmental attention groups as the GTI study forms them: a city's mean attention over
  // 2007–2012 (before the first pilot batch) above the median of the cities' means, or not.
  const pre = YEARS.map((y, t) => (y <= 2012 ? t : -1)).filter((t) => t >= 0)
  const attMean = cities.map((_, i) => mean(pre.map((t) => actual.columns.env_attention[i * T + t])))
  const sortedAtt = [...attMean].sort((a, b) => a - b)
  const mid = sortedAtt.length / 2
  const attMedian = sortedAtt.length % 2 ? sortedAtt[Math.floor(mid)] : (sortedAtt[mid - 1] + sortedAtt[mid]) / 2
  const highAttention = (i: number) => attMean[i] > attMedian
  const treatedWhere = (pred: (i: number) => boolean) => treatedRows.filter((r) => pred(Math.floor(r / T)))

  const neverPost = rowsWhere((i, t) => cities[i].pilotYear === null && YEARS[t] >= 2017)
  const spill = (rows: number[]) => r6(mean(rows.map((r) => lnG(noOwn, r) - lnG(none, r))))
  const missing = Object.fromEntries(
    (Object.keys(MISSING) as MissingColumn[]).map((c) => {
      const cells = mask[c].reduce((s, x) => s + x, 0)
      return [c, { cells, share: r6(cells / mask[c].length) }]
    }),
  )

  return {
    description:
      'Answer key of the synthetic demo panel cluster_gie_panel.csv (see README.md). Effects are on the written data; log effects in log points.',
    generator: 'pipelines/data/make/demo-panel.ts',
    seed,
    cities: cities.length,
    years: [YEARS[0], YEARS[T - 1]],
    rows: cities.length * T,
    parameters: {
      kappa: KAPPA,
      total_effect_ln_green_patents_at_kappa_1: r6(TOTAL_EFFECT),
      direct_effect_at_kappa_1: POLICY.direct,
      direct_share_of_total: r6(POLICY.direct / TOTAL_EFFECT),
      invention_tilt_logit: POLICY.inventionTilt,
      spillover_theta: POLICY.spillover,
      weights: { form: 'w_ij = 1/d_ij for 0 < d_ij <= cutoff, row-standardised', distance: 'haversine', earth_radius_km: EARTH_RADIUS_KM, cutoff_km: CUTOFF_KM },
      patent_noise: PATENT_NOISE,
      other_policies: OTHER_POLICIES,
      missing: { columns: MISSING, two_year_gap_probability: TWO_YEAR_GAP },
    },
    effects: {
      treated_city_years: treatedRows.length,
      mean_kappa_treated: r6(mean(treatedRows.map((r) => actual.kappa[Math.floor(r / T)]))),
      ln_green_patents: {
        att: att(lnG),
        expected_att_before_rounding: r6(TOTAL_EFFECT * mean(treatedRows.map((r) => actual.kappa[Math.floor(r / T)]))),
        by_region: Object.fromEntries((['east', 'central', 'west'] as const).map((g) => [g, { city_years: treatedIn((c) => c.region === g).length, att: att(lnG, treatedIn((c) => c.region === g)) }])),
        by_resource: Object.fromEntries(([0, 1] as const).map((g) => [String(g), { city_years: treatedIn((c) => c.resource === g).length, att: att(lnG, treatedIn((c) => c.resource === g)) }])),
        by_attention: {
          rule: 'city mean of env_attention over 2007-2012 above the median of the city means (high) or not (low)',
          median: r6(attMedian),
          high: { city_years: treatedWhere(highAttention).length, att: att(lnG, treatedWhere(highAttention)) },
          low: { city_years: treatedWhere((i) => !highAttention(i)).length, att: att(lnG, treatedWhere((i) => !highAttention(i))) },
        },
      },
      ln_energy: {
        elasticity_on_ln_green_patents: ENERGY.patents,
        att: att((w, r) => Math.log(w.columns.energy[r])),
        direct_effect: 0,
      },
      ln_green_inv: { att: att((w, r) => Math.log(w.columns.green_inv[r])) },
      ln_green_uti: { att: att((w, r) => Math.log(w.columns.green_uti[r])) },
      mediators,
      spillover: {
        theta: POLICY.spillover,
        never_treated_2017_2021: {
          city_years: neverPost.length,
          mean_exposure_WD: r6(mean(neverPost.map((r) => actual.exposure[r]))),
          att_ln_green_patents: spill(neverPost),
        },
        pilots_treated_city_years: { mean_exposure_WD: r6(mean(treatedRows.map((r) => actual.exposure[r]))), att_ln_green_patents: spill(treatedRows) },
      },
    },
    missing,
  }
}
