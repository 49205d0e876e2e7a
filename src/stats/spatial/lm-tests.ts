/**
 * Lagrange multiplier tests for a spatial lag and a spatial error on the pooled
 * fixed-effects regression (Anselin 1988; Anselin, Bera, Florax & Yoon 1996 for the robust
 * forms; Elhorst 2014 §3.3 for the panel: W becomes I_T ⊗ W, traces times T). With e the
 * residuals of the demeaned y on the demeaned X (no intercept), σ² = e′e/NT, W applied to the
 * demeaned data:
 *   T_W = T·tr(W′W + WW),  J = (WXb)′M(WXb)/σ² + T_W  (M the residual maker of X),
 *   LM_lag = (e′Wy/σ²)²/J,  LM_err = (e′We/σ²)²/T_W,
 *   RLM_lag = (e′Wy/σ² − e′We/σ²)²/(J − T_W),
 *   RLM_err = (e′We/σ² − (T_W/J)·e′Wy/σ²)²/(T_W(1 − T_W/J)),
 * each χ²(1). These equal spdep::lm.LMtests on the stacked demeaned data with kronecker(I_T, W).
 */
import type { SparseMatrix } from '../../artifacts/weights.ts'
import { chisqPValue } from '../dist.ts'
import { dot, leastSquares } from './dense.ts'
import { panelLag } from './panel.ts'

export interface LmTest {
  readonly name: 'lm_lag' | 'lm_err' | 'rlm_lag' | 'rlm_err'
  readonly statistic: number
  readonly df: 1
  readonly p: number
}

export function lmTests(yd: Float64Array, xd: readonly Float64Array[], w: SparseMatrix, t: number): LmTest[] | undefined {
  const fit = leastSquares(xd, yd)
  if (!fit) return undefined
  const e = fit.resid, NT = yd.length
  const s2 = dot(e, e) / NT
  const wy = panelLag(w, yd, t), we = panelLag(w, e, t)
  const yhat = yd.map((v, i) => v - e[i])
  const wxb = panelLag(w, yhat, t)
  const m = leastSquares(xd, wxb)!.resid
  let trWW = 0, trWtW = 0
  const n = w.n
  const at = new Map<number, number>()
  for (let i = 0; i < n; i++) for (let k = w.rowStart[i]; k < w.rowStart[i + 1]; k++) { at.set(i * n + w.cols[k], w.values[k]); trWtW += w.values[k] ** 2 }
  for (const [key, v] of at) { const i = Math.floor(key / n), j = key % n; trWW += v * (at.get(j * n + i) ?? 0) }
  const TW = t * (trWtW + trWW)
  const J = dot(m, m) / s2 + TW
  const ly = dot(e, wy) / s2, le = dot(e, we) / s2
  const stats: [LmTest['name'], number][] = [
    ['lm_lag', (ly * ly) / J],
    ['lm_err', (le * le) / TW],
    ['rlm_lag', (ly - le) ** 2 / (J - TW)],
    ['rlm_err', (le - (TW / J) * ly) ** 2 / (TW * (1 - TW / J))],
  ]
  return stats.map(([name, statistic]) => ({ name, statistic, df: 1, p: chisqPValue(statistic, 1) }))
}
