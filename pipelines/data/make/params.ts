/**
 * The true parameters of the demo panel's data-generating process. ../README.md states
 * the equations they enter; cluster_gie_truth.json repeats them next to the realised effects.
 * Units of each mediator's effect are the units of its column, or log points for the two on the log scale (energy_int, innov).
 */

export const FIRST_YEAR = 2007
export const LAST_YEAR = 2021
export const YEARS: readonly number[] = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, k) => FIRST_YEAR + k)
export const DEFAULT_SEED = 2025

/** Effect multiplier κ_i = κ_region · κ_resource: the pilot works better in the east and outside resource cities. */
export const KAPPA = {
  region: { east: 1.2, central: 0.8, west: 0.6 },
  resource: { 0: 1, 1: 0.3 },
} as const

/**
 * Mediators: the pilot moves M_k by a_k κ_i D_it; ln G depends on M_k with slope b_k.
 * a_k b_k is the mediated part of the effect on ln(green patents) for κ = 1.
 */
export const MEDIATORS = {
  energy_int: { a: -0.09, b: -0.5, scale: 'log' },
  isu: { a: 1.5, b: 0.03, scale: 'level' },
  innov: { a: 0.18, b: 0.4, scale: 'log' },
  digital: { a: 3.0, b: 0.012, scale: 'level' },
  entre: { a: 9.0, b: 0.003, scale: 'level' },
  talent: { a: 12.0, b: 0.0015, scale: 'level' },
  sci_share: { a: 0.6, b: 0.045, scale: 'level' },
} as const satisfies Record<string, { a: number; b: number; scale: 'level' | 'log' }>

export type MediatorName = keyof typeof MEDIATORS

export const POLICY = {
  /** Direct (unmediated) effect c of the pilot on ln(green patents), for κ = 1. */
  direct: 0.18,
  /** Shift ω of the pilot on logit(invention share of green patents), for κ = 1. */
  inventionTilt: 0.15,
  /** Spillover θ: coefficient of (W D)_t, the inverse-distance-weighted share of neighbours already piloting, in ln(green patents). */
  spillover: 0.3,
} as const

/** Total effect on ln(green patents) for κ = 1: c + Σ a_k b_k (= 0.45). */
export const TOTAL_EFFECT = POLICY.direct + Object.values(MEDIATORS).reduce((s, m) => s + m.a * m.b, 0)

/**
 * Other policies (synthetic assignment, see policies.ts). Batch sizes are ours; effects:
 * low-carbon and smart-city pilots raise ln(green patents) by `patents`; Broadband China
 * raises `digital` (broadband subscribers per 100 persons) by `digital`.
 */
export const OTHER_POLICIES = {
  lowcarbon: { batches: { 2010: 25, 2012: 35, 2017: 40 }, patents: 0.04, digital: 0 },
  broadband: { batches: { 2014: 30, 2015: 30, 2016: 30 }, patents: 0, digital: 3.0 },
  smart: { batches: { 2012: 35, 2013: 35, 2014: 25 }, patents: 0.03, digital: 0 },
} as const

export type OtherPolicy = keyof typeof OTHER_POLICIES

/**
 * Energy use falls with green technology: ln E depends on ln(green patents) with elasticity
 * `patents` and on nothing the pilot touches otherwise, so the pilot moves energy use (and an
 * energy-efficiency score) only through green technology innovation.
 */
export const ENERGY = { patents: -0.12 } as const

/**
 * Environmental attention of the city government (share of environment-related words in its
 * annual work report, per mille). It does not modify the pilot's effect; it correlates with
 * development, and so with region and κ, which is what a split by attention picks up.
 */
export const ATTENTION = { level: 2.4, d: 0.5, east: 0.25, trend: 0.03 } as const

/** Noise of ln(green patents): AR(1) in time with coefficient `ar`, innovations spatially filtered by (I − λW)⁻¹. */
export const PATENT_NOISE = { sd: 0.15, ar: 0.5, spatialLambda: 0.4 } as const

/** Missing cells: probability per cell; `interior` columns lose only years 2008–2020 (so linear interpolation fills them). */
export const MISSING = {
  green_area: { p: 0.03, interior: true },
  wastewater: { p: 0.03, interior: true },
  dust: { p: 0.04, interior: true },
  rd_staff: { p: 0.02, interior: true },
  lpg: { p: 0.04, interior: true },
  urban: { p: 0.04, interior: false },
  energy_int: { p: 0.03, interior: false },
  digital: { p: 0.03, interior: false },
} as const

/** Probability that a gap, once started, covers two years instead of one. */
export const TWO_YEAR_GAP = 0.2

/**
 * Yangtze River Delta integration (yrd.ts): membership Y_it from the real lists in
 * yrd_membership.csv; three synthetic indicators written beside the panel. Effects in log
 * points: Y raises foreign-trade openness and technology-market turnover and lowers PM2.5;
 * the cluster pilot P raises technology-market turnover, and more so in member cities
 * (the synergy term on Y·P).
 */
export const YRD = {
  trade: { yrd: 0.12 },
  tech_market: { yrd: 0.15, pilot: 0.1, synergy: 0.12 },
  pm25: { yrd: -0.06 },
} as const
