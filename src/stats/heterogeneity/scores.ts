/**
 * The pieces of a fitted linear model that suest (./suest.ts) stacks: the kept regressors
 * demeaned within the fixed effects (X̃), the residuals, the weights and the bread
 * (X̃'WX̃)⁻¹, on the model's estimation rows. They are recomputed from the frame and the
 * fit the regression kernel returned (its rows, kept terms and conventions), by the same
 * absorption and QR, so they are those the kernel's own variance used.
 */
import type { Frame } from '../../artifacts/frame.ts'
import { createAbsorber } from '../fe/absorb.ts'
import { subsetFactor } from '../fe/factor.ts'
import { leastSquaresQr } from '../ols/qr.ts'
import { factorOfName, INTERCEPT } from '../ols/regress.ts'
import { withInteractionColumns } from '../ols/terms.ts'
import type { RegressionResult, RegressionSpec } from '../ols/types.ts'

export interface ModelScores {
  readonly X: Float64Array[]
  readonly resid: Float64Array
  readonly weights?: Float64Array
  readonly bread: Float64Array
  /** Estimation rows of the frame (the fit's). */
  readonly rows: Int32Array
}

export function modelScores(data: Frame, spec: RegressionSpec, fit: RegressionResult): ModelScores {
  const frame = withInteractionColumns(data, spec.regressors)
  const rows = fit.rows
  const n = rows.length
  const take = (d: Float64Array): Float64Array => { const o = new Float64Array(n); for (let i = 0; i < n; i++) o[i] = d[rows[i]]; return o }
  const fes = (spec.fixedEffects ?? []).map((f, k) => subsetFactor(factorOfName(frame, f, 'fixed_effect', k), rows))
  const w = spec.weights ? take(frame.numbers(spec.weights)) : undefined
  const absorber = createAbsorber(fes, w, spec.absorb)
  const raw = fit.terms.map((t) => (t.term === INTERCEPT ? new Float64Array(n).fill(1) : take(frame.numbers(t.term))))
  const X = raw.map((x) => (fes.length ? absorber.demean(x).values : x))
  const sw = w ? w.map(Math.sqrt) : undefined
  const scaled = X.map((x) => (sw ? x.map((v, i) => v * sw[i]) : x.slice()))
  const refNorm = raw.map((x) => Math.sqrt(x.reduce((s, v, i) => s + (w ? w[i] : 1) * v * v, 0)))
  const qr = leastSquaresQr(scaled, new Float64Array(n), refNorm)
  if (qr.dropped.length) throw new Error(`modelScores: ${qr.dropped.length} kept regressors became collinear on recomputation`)
  return { X, resid: fit.residuals, ...(w ? { weights: w } : {}), bread: qr.xtxInv, rows }
}
