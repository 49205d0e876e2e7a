/**
 * The data-generating process of the demo panel (equations and parameter values in
 * ../README.md, section "Data-generating process"). Pure: the same cities, weights, seed
 * and switches give the same numbers. Rows are ordered city-major (row = i·T + t).
 *
 * Every random draw comes from its own stream, H(seed, component, variable, city code),
 * so adding a variable or a city leaves every other series unchanged.
 */
import { Rng } from '../../../src/stats/rng.ts'
import type { City } from './cities.ts'
import { ATTENTION, ENERGY, KAPPA, MEDIATORS, OTHER_POLICIES, PATENT_NOISE, POLICY, YEARS, FIRST_YEAR, type MediatorName, type OtherPolicy } from './params.ts'
import { assignPolicy, type Adoption } from './policies.ts'
import { lag, spatialFilter } from './weights.ts'

/** Which parts of the pilot's effect are switched on (off = the counterfactual world). */
export interface Switches {
  /** The pilot's effect on the pilot city itself (direct and through mediators). */
  own: boolean
  /** The spillover θ (W D)_t onto every city. */
  spill: boolean
}

export interface World {
  /** Generated series by column name (city-major rows); unrounded except the patent counts. */
  readonly columns: Record<string, Float64Array>
  readonly adoption: Record<OtherPolicy, Adoption>
  /** D_it, (W D)_it and κ_i, for the truth file. */
  readonly treated: Float64Array
  readonly exposure: Float64Array
  readonly kappa: Float64Array
  /** The latent development (d) and size (s) indices, for the series generated beside the panel (yrd.ts). */
  readonly latent: { readonly d: Float64Array; readonly s: Float64Array }
}

const T = YEARS.length
const logistic = (x: number) => 1 / (1 + Math.exp(-x))
const logit = (p: number) => Math.log(p / (1 - p))

/** Cumulative sum of yearly log changes (first year 0). */
function path(changes: readonly number[]): Float64Array {
  if (changes.length !== T - 1) throw new Error(`path needs ${T - 1} yearly changes`)
  const out = new Float64Array(T)
  for (let t = 1; t < T; t++) out[t] = out[t - 1] + changes[t - 1]
  return out
}

/** National year paths (log points relative to 2007). */
const GDP_PATH = path([0.09, 0.085, 0.1, 0.09, 0.075, 0.07, 0.068, 0.065, 0.063, 0.065, 0.063, 0.057, 0.02, 0.08])
const SO2_PATH = path([-0.06, -0.05, -0.04, -0.02, -0.05, -0.04, -0.04, -0.06, -0.45, -0.25, -0.15, -0.12, -0.1, -0.06])
const DUST_PATH = path([-0.08, -0.07, -0.05, 0.35, -0.03, -0.02, 0.05, -0.05, -0.35, -0.2, -0.12, -0.1, -0.1, -0.05])
const WASTEWATER_PATH = path([-0.02, -0.03, -0.01, -0.03, -0.03, -0.04, -0.04, -0.04, -0.2, -0.08, -0.05, -0.03, -0.05, -0.02])

/** Constant of ln(green patents), set so that the 2007 median city files about 35 green patents. */
const PATENT_CONSTANT = 3.1

/** A city effect μ ~ N(0,1) and a stationary AR(1) series u_t = φ u_{t−1} + √(1−φ²) e_t with unit variance, from stream r. */
export function cityNoise(r: Rng, ar: number): { fe: number; u: Float64Array } {
  const fe = r.normal()
  const u = new Float64Array(T)
  u[0] = r.normal()
  const k = Math.sqrt(1 - ar * ar)
  for (let t = 1; t < T; t++) u[t] = ar * u[t - 1] + k * r.normal()
  return { fe, u }
}

export function generateWorld(cities: readonly City[], w: readonly Float64Array[], seed: number, on: Switches): World {
  const n = cities.length
  const root = new Rng(['quasi', 'demo-panel', seed])
  const col = (name: string) => (columns[name] = new Float64Array(n * T))
  const columns: Record<string, Float64Array> = {}

  // Latent development (d) and size (s) indices: selection on observables, pilots richer and bigger.
  const d = new Float64Array(n), s = new Float64Array(n), eArea = new Float64Array(n), gTrend = new Float64Array(n)
  cities.forEach((c, i) => {
    const r = root.fork('latent').fork(c.code)
    const east = +(c.region === 'east'), west = +(c.region === 'west'), pilot = +(c.pilotYear !== null)
    const muni = +(c.admin === 'municipality'), sub = +(c.admin === 'sub_provincial'), cap = +(c.admin === 'provincial_capital')
    d[i] = 0.3 * east - 0.2 * west + 0.25 * (muni + sub) + 0.15 * cap + 0.2 * pilot + 0.25 * r.normal()
    s[i] = 0.15 * east - 0.1 * west + 0.8 * muni + 0.45 * sub + 0.3 * cap + 0.3 * pilot + 0.45 * r.normal()
    eArea[i] = r.normal()
    gTrend[i] = 0.008 * r.normal()
  })
  const policyRng = root.fork('other-policies')
  const adoption = {} as Record<OtherPolicy, Adoption>
  for (const p of Object.keys(OTHER_POLICIES) as OtherPolicy[]) adoption[p] = assignPolicy(p, cities, { d, s }, policyRng)

  // Treatment, its spatial lag and the effect multiplier.
  const treated = new Float64Array(n * T), exposure = new Float64Array(n * T), kappa = new Float64Array(n)
  cities.forEach((c, i) => {
    kappa[i] = KAPPA.region[c.region] * KAPPA.resource[c.resource]
    for (let t = 0; t < T; t++) treated[i * T + t] = c.pilotYear !== null && YEARS[t] >= c.pilotYear ? 1 : 0
  })
  for (let t = 0; t < T; t++) {
    const wd = lag(w, Array.from({ length: n }, (_, i) => treated[i * T + t]))
    for (let i = 0; i < n; i++) exposure[i * T + t] = wd[i]
  }
  const adopted = (p: OtherPolicy, i: number, t: number) => {
    const y = adoption[p][i]
    return y !== null && YEARS[t] >= y ? 1 : 0
  }

  const pop = col('pop'), area = col('area'), gdp = col('gdp'), gdpPc = col('gdp_pc')
  const fin = col('fin'), urban = col('urban'), gov = col('gov'), industry = col('industry')
  const eduExp = col('edu_exp'), sciExp = col('sci_exp'), envExp = col('env_exp')
  const rdStaff = col('rd_staff'), envStaff = col('env_staff'), water = col('water'), electricity = col('electricity'), lpg = col('lpg')
  const greenArea = col('green_area'), inv = col('green_inv'), uti = col('green_uti')
  const so2 = col('so2'), wastewater = col('wastewater'), dust = col('dust')
  const energy = col('energy'), attention = col('env_attention')
  const lnPatents = new Float64Array(n * T), inventionShare = new Float64Array(n * T)
  /** ln E without its patent term (added once the patent shocks exist). */
  const lnEnergyBase = new Float64Array(n * T)
  const med = {} as Record<MediatorName, Float64Array>
  for (const m of Object.keys(MEDIATORS) as MediatorName[]) med[m] = col(m)

  /** L_k,i: the city level of each mediator (log scale for energy_int and innov). */
  const level: Record<MediatorName, number>[] = []
  for (let i = 0; i < n; i++) {
    const c = cities[i]
    const east = +(c.region === 'east'), west = +(c.region === 'west'), res = c.resource
    const ms = +(c.admin === 'municipality' || c.admin === 'sub_provincial')
    const high = +(c.admin !== 'prefecture')
    const z = (v: string, ar: number) => cityNoise(root.fork('noise').fork(v).fork(c.code), ar)
    const nPop = z('pop', 0.9), nGdp = z('gdp_pc', 0.8), nFin = z('fin', 0.8), nUrb = z('urban', 0.9), nGov = z('gov', 0.7)
    const nInd = z('industry', 0.85), nEdu = z('edu_share', 0.5), nEnv = z('env_share', 0.5), nSci = z('sci_share', 0.7)
    const nRd = z('rd_staff', 0.7), nEs = z('env_staff', 0.7), nWat = z('water', 0.7), nEl = z('electricity', 0.7), nLpg = z('lpg', 0.6)
    const nGa = z('green_area', 0.7), nSo2 = z('so2', 0.6), nWw = z('wastewater', 0.6), nDust = z('dust', 0.6)
    const nEi = z('energy_int', 0.7), nIsu = z('isu', 0.7), nInn = z('innov', 0.7), nDig = z('digital', 0.7)
    const nEnt = z('entre', 0.6), nTal = z('talent', 0.8), nPi = z('invention_share', 0.5), nPat = z('patents', 0)
    const nEn = z('energy', 0.7), nAtt = z('env_attention', 0.5)
    level.push({
      energy_int: Math.log(1.05) - 0.35 * d[i] + 0.3 * res + 0.2 * nEi.fe,
      isu: 6 * Math.exp(0.6 * d[i] + 0.3 * high + 0.25 * nIsu.fe),
      innov: Math.log(8) + 1.2 * s[i] + 1.5 * d[i] + 0.4 * nInn.fe,
      digital: 7 * Math.exp(0.8 * d[i] + 0.25 * s[i] + 0.2 * nDig.fe),
      entre: 25 * Math.exp(0.5 * d[i] + 0.3 * east + 0.25 * nEnt.fe),
      talent: 150 * Math.exp(0.9 * high + 0.8 * d[i] + 0.4 * nTal.fe),
      sci_share: 1.4 * Math.exp(0.45 * d[i] + 0.3 * ms + 0.2 * nSci.fe),
    })
    const areaI = 12000 * Math.exp(0.5 * s[i] + 0.35 * west + 0.45 * eArea[i])

    for (let t = 0; t < T; t++) {
      const r = i * T + t, tau = YEARS[t] - FIRST_YEAR
      const own = on.own ? kappa[i] * treated[r] : 0
      pop[r] = 400 * Math.exp(s[i] + 0.004 * tau + 0.02 * nPop.u[t])
      area[r] = areaI
      const gdpDev = gTrend[i] * tau + 0.03 * nGdp.u[t]
      gdpPc[r] = 20000 * Math.exp(d[i] + GDP_PATH[t] + gdpDev)
      gdp[r] = (gdpPc[r] * pop[r]) / 1e4
      fin[r] = 0.85 * Math.exp(0.3 * d[i] + 0.25 * high + 0.03 * tau + 0.15 * nFin.fe + 0.1 * nFin.u[t])
      urban[r] = 100 * logistic(logit(0.42) + 1.4 * d[i] + 0.5 * s[i] + 0.05 * tau + 0.3 * nUrb.fe + 0.12 * nUrb.u[t])
      gov[r] = 0.13 * Math.exp(-0.35 * d[i] + 0.3 * west + 0.015 * tau + 0.15 * nGov.fe + 0.05 * nGov.u[t])
      industry[r] = 100 * logistic(logit(0.49) + 0.25 * res + 0.2 * d[i] - 0.035 * tau + 0.25 * nInd.fe + 0.1 * nInd.u[t])

      // Mediators M_k = baseline + a_k κ_i D_it (+ Broadband China on digital). The baseline is a
      // city level L_k,i times noise plus a trend common to all cities, so trends are parallel:
      //   level scale: M = (L_i + g τ) e^{σu} + a κ D;   log scale: ln M = L_i + g τ + σu + a κ D.
      const L = level[i]
      med.energy_int[r] = Math.exp(L.energy_int - 0.045 * tau + 0.06 * nEi.u[t] + MEDIATORS.energy_int.a * own)
      med.isu[r] = (L.isu + 0.4 * tau) * Math.exp(0.08 * nIsu.u[t]) + MEDIATORS.isu.a * own
      med.innov[r] = Math.exp(L.innov + 0.12 * tau + 0.08 * nInn.u[t] + MEDIATORS.innov.a * own)
      med.digital[r] =
        (L.digital + 2.9 * tau) * Math.exp(0.1 * nDig.u[t]) + MEDIATORS.digital.a * own +
        OTHER_POLICIES.broadband.digital * adopted('broadband', i, t)
      med.entre[r] = (L.entre + 3 * tau) * Math.exp(0.15 * nEnt.u[t]) + MEDIATORS.entre.a * own
      med.talent[r] = (L.talent + 8 * tau) * Math.exp(0.05 * nTal.u[t]) + MEDIATORS.talent.a * own
      med.sci_share[r] = (L.sci_share + 0.11 * tau) * Math.exp(0.15 * nSci.u[t]) + MEDIATORS.sci_share.a * own

      // DEA inputs: budget items are shares of general budget expenditure gov·gdp.
      const govExp = gov[r] * gdp[r]
      eduExp[r] = govExp * 0.17 * Math.exp(0.08 * nEdu.fe + 0.04 * nEdu.u[t])
      sciExp[r] = (govExp * med.sci_share[r]) / 100
      envExp[r] = govExp * 0.025 * Math.exp(0.04 * tau + 0.25 * nEnv.fe + 0.1 * nEnv.u[t])
      rdStaff[r] = 0.6 * Math.exp(s[i] + 0.8 * d[i] + 0.5 * high + 0.04 * tau + 0.3 * nRd.fe + 0.06 * nRd.u[t])
      envStaff[r] = 0.5 * Math.exp(0.9 * s[i] + 0.3 * d[i] + 0.02 * tau + 0.25 * nEs.fe + 0.05 * nEs.u[t])
      water[r] = 8000 * Math.exp(s[i] + 0.5 * d[i] + 0.01 * tau + 0.3 * nWat.fe + 0.05 * nWat.u[t])
      electricity[r] = 600000 * Math.exp(s[i] + 0.8 * d[i] + 0.3 * res + 0.06 * tau + 0.35 * nEl.fe + 0.05 * nEl.u[t])
      lpg[r] = 15000 * Math.exp(s[i] + 0.3 * d[i] - 0.01 * tau + 0.5 * nLpg.fe + 0.1 * nLpg.u[t])
      // Desirable and undesirable outputs (patents below).
      greenArea[r] = 3000 * Math.exp(0.9 * s[i] + 0.5 * d[i] + 0.045 * tau + 0.3 * nGa.fe + 0.05 * nGa.u[t])
      so2[r] = 50000 * Math.exp(0.8 * s[i] + 0.2 * d[i] + 0.5 * res + SO2_PATH[t] + 0.4 * nSo2.fe + 0.1 * nSo2.u[t])
      wastewater[r] = 5000 * Math.exp(0.9 * s[i] + 0.3 * d[i] + 0.2 * res + WASTEWATER_PATH[t] + 0.4 * nWw.fe + 0.1 * nWw.u[t])
      dust[r] = 25000 * Math.exp(0.8 * s[i] + 0.1 * d[i] + 0.5 * res + DUST_PATH[t] + 0.45 * nDust.fe + 0.12 * nDust.u[t])

      // Energy use (10⁴ tce) before its patent term, and environmental attention (‰ of the work report).
      lnEnergyBase[r] = Math.log(120) + 0.9 * s[i] + 0.5 * d[i] + 0.4 * res + 0.035 * tau + 0.3 * nEn.fe + 0.05 * nEn.u[t]
      attention[r] = ATTENTION.level * Math.exp(ATTENTION.d * d[i] + ATTENTION.east * east + ATTENTION.trend * tau + 0.25 * nAtt.fe + 0.1 * nAtt.u[t])

      // Green patents: ln G* without its shock (added below, once the spatially correlated shocks exist).
      let mediated = 0
      for (const m of Object.keys(MEDIATORS) as MediatorName[]) {
        const x = MEDIATORS[m].scale === 'log' ? Math.log(med[m][r]) : med[m][r]
        mediated += MEDIATORS[m].b * (x - L[m])
      }
      lnPatents[r] =
        PATENT_CONSTANT + 1.2 * s[i] + 1.6 * d[i] + 0.4 * nPat.fe + 0.02 * tau + 0.5 * gdpDev + mediated +
        POLICY.direct * own + (on.spill ? POLICY.spillover * exposure[r] : 0) +
        OTHER_POLICIES.lowcarbon.patents * adopted('lowcarbon', i, t) + OTHER_POLICIES.smart.patents * adopted('smart', i, t)
      inventionShare[r] = logistic(logit(0.42) + 0.5 * d[i] - 0.02 * tau + 0.3 * nPi.fe + 0.25 * nPi.u[t] + POLICY.inventionTilt * own)
    }
  }

  // Patent shocks v_t = φ v_{t−1} + √(1−φ²) (I − λW)⁻¹ ε_t, then the count split.
  const { sd, ar, spatialLambda } = PATENT_NOISE
  let v: Float64Array = new Float64Array(n)
  for (let t = 0; t < T; t++) {
    const r = root.fork('patent-shocks').fork(YEARS[t])
    const e = spatialFilter(w, spatialLambda, Array.from({ length: n }, () => r.normal()))
    v = t === 0 ? e : v.map((x, i) => ar * x + Math.sqrt(1 - ar * ar) * e[i])
    for (let i = 0; i < n; i++) {
      const row = i * T + t
      const g = Math.exp(lnPatents[row] + sd * v[i])
      const share = inventionShare[row]
      inv[row] = Math.max(1, Math.round(share * g))
      uti[row] = Math.max(1, Math.round((1 - share) * g))
      // Centred on the patents' city-year mean path, so the patent term shifts the level little.
      energy[row] = Math.exp(lnEnergyBase[row] + ENERGY.patents * (Math.log(inv[row] + uti[row]) - PATENT_CONSTANT))
    }
  }
  return { columns, adoption, treated, exposure, kappa, latent: { d, s } }
}
