/**
 * The Yangtze River Delta (YRD) part of the demo data: real membership by city and year
 * (yrd_membership.csv: the 16 core cities of the 2010 regional plan, the 26 cities of the
 * 2016 urban-agglomeration plan, the 27 central-area cities of the 2019 integration outline)
 * and three synthetic indicators a regional-integration study needs, written to
 * yrd_indicators.csv (equations in ../README.md, "Yangtze River Delta integration"):
 *
 *   ln trade_it       = ln 20 + 0.9 d_i + 0.4 east_i + 0.35 μ_i − 0.02 τ + 0.06 u_it + β_tr Y_it
 *   ln tech_market_it = ln 2 + 1.1 s_i + 1.3 d_i + 0.45 μ_i + 0.11 τ + 0.10 u_it
 *                       + β_tm Y_it + γ_tm P_it + δ_tm Y_it P_it
 *   ln pm25_it        = ln 48 + 0.2 s_i − 0.15 d_i + 0.25 μ_i − 0.035 τ + 0.07 u_it + β_pm Y_it
 *
 * with d, s the panel's latent development and size indices, P_it the cluster pilot and
 * u_it unit-variance AR(1) noise. Every draw comes from the stream 'yrd', so the panel's
 * own series are unchanged by this file.
 */
import { readFileSync } from 'node:fs'
import { Rng } from '../../../src/stats/rng.ts'
import { parse, type City } from './cities.ts'
import { cityNoise } from './dgp.ts'
import { FIRST_YEAR, YEARS, YRD } from './params.ts'

const T = YEARS.length

/** YRD accession year per city code (the cities of yrd_membership.csv). */
export function readMembership(dataDir: URL): Map<string, number> {
  const out = new Map<string, number>()
  for (const r of parse(readFileSync(new URL('yrd_membership.csv', dataDir), 'utf8'), 'yrd_membership.csv')) {
    const year = Number(r.yrd_year)
    if (!/^\d{6}$/.test(r.city) || !Number.isInteger(year)) throw new Error(`yrd_membership.csv: bad row ${JSON.stringify(r)}`)
    if (out.has(r.city)) throw new Error(`yrd_membership.csv: ${r.city} listed twice`)
    out.set(r.city, year)
  }
  return out
}

/** Which YRD effects are on (off = a counterfactual world from the same draws). */
export interface YrdSwitches {
  /** β: membership's own effect on the three indicators. */
  readonly yrd: boolean
  /** γ: the pilot's effect on technology-market turnover. */
  readonly pilot: boolean
  /** δ: the extra pilot effect in member cities. */
  readonly synergy: boolean
}

export interface YrdWorld {
  /** trade, tech_market, pm25 by city-major row. */
  readonly columns: { readonly trade: Float64Array; readonly tech_market: Float64Array; readonly pm25: Float64Array }
  /** Y_it and P_it. */
  readonly member: Float64Array
  readonly pilot: Float64Array
}

export function generateYrd(
  cities: readonly City[],
  latent: { readonly d: Float64Array; readonly s: Float64Array },
  membership: ReadonlyMap<string, number>,
  seed: number,
  on: YrdSwitches,
): YrdWorld {
  const n = cities.length
  const root = new Rng(['quasi', 'demo-panel', seed]).fork('yrd')
  const trade = new Float64Array(n * T), tech = new Float64Array(n * T), pm = new Float64Array(n * T)
  const member = new Float64Array(n * T), pilot = new Float64Array(n * T)
  cities.forEach((c, i) => {
    const d = latent.d[i], s = latent.s[i], east = +(c.region === 'east')
    const joined = membership.get(c.code) ?? null
    const noise = (variable: string, ar: number) => cityNoise(root.fork(variable).fork(c.code), ar)
    const nTr = noise('trade', 0.7), nTm = noise('tech_market', 0.7), nPm = noise('pm25', 0.6)
    for (let t = 0; t < T; t++) {
      const r = i * T + t, tau = YEARS[t] - FIRST_YEAR
      const Y = joined !== null && YEARS[t] >= joined ? 1 : 0
      const P = c.pilotYear !== null && YEARS[t] >= c.pilotYear ? 1 : 0
      member[r] = Y
      pilot[r] = P
      const y = on.yrd ? Y : 0
      trade[r] = Math.exp(Math.log(20) + 0.9 * d + 0.4 * east + 0.35 * nTr.fe - 0.02 * tau + 0.06 * nTr.u[t] + YRD.trade.yrd * y)
      tech[r] = Math.exp(
        Math.log(2) + 1.1 * s + 1.3 * d + 0.45 * nTm.fe + 0.11 * tau + 0.1 * nTm.u[t] +
          YRD.tech_market.yrd * y + (on.pilot ? YRD.tech_market.pilot * P : 0) + (on.synergy ? YRD.tech_market.synergy * Y * P : 0),
      )
      pm[r] = Math.exp(Math.log(48) + 0.2 * s - 0.15 * d + 0.25 * nPm.fe - 0.035 * tau + 0.07 * nPm.u[t] + YRD.pm25.yrd * y)
    }
  })
  return { columns: { trade, tech_market: tech, pm25: pm }, member, pilot }
}

/** Decimals written per indicator. */
export const YRD_COLUMNS = { trade: 3, tech_market: 4, pm25: 2 } as const

/** yrd_indicators.csv: city, year and the three indicators (complete: no missing cells). */
export function renderYrdCsv(cities: readonly City[], world: YrdWorld): string {
  const lines = [['city', 'year', ...Object.keys(YRD_COLUMNS)].join(',')]
  cities.forEach((c, i) => {
    for (let t = 0; t < T; t++) {
      const r = i * T + t
      const cells = (Object.entries(YRD_COLUMNS) as [keyof typeof YRD_COLUMNS, number][]).map(([name, digits]) => {
        const x = world.columns[name][r]
        if (!Number.isFinite(x) || x <= 0) throw new Error(`yrd indicators: ${name} is ${x} at ${c.code}/${YEARS[t]}`)
        return x.toFixed(digits)
      })
      lines.push([c.code, String(YEARS[t]), ...cells].join(','))
    }
  })
  return lines.join('\n') + '\n'
}
