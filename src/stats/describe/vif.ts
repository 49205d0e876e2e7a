/**
 * Variance inflation factors of a set of regressors: how much the variance of each one's
 * coefficient is inflated by its linear dependence on the others.
 *
 *   VIF_j = 1 / (1 − R²_j) = TSS_j / RSS_j,
 *
 * R²_j from the OLS regression (with an intercept) of x_j on the other variables, on the
 * rows where every variable is present (listwise). This equals the j-th diagonal element of
 * the inverse correlation matrix, and `car::vif` of a linear model with these regressors on
 * the same rows. TSS/RSS is used rather than 1/(1 − R²) so a VIF in the thousands keeps its
 * digits; the regressions go through the QR kernel (../ols/regress.ts), so a perfectly
 * collinear set gives a very large VIF rather than a failed inversion. One variable alone
 * has VIF 1; a constant variable has none (NaN).
 *
 * ## References
 * D. W. Marquardt (1970), "Generalized inverses, ridge regression, biased linear estimation,
 *   and nonlinear estimation", Technometrics 12(3), 591–612.
 * J. Fox, G. Monette (1992), "Generalized collinearity diagnostics", JASA 87(417), 178–183
 *   (`car::vif`).
 */
import { Frame, numberColumn } from '../../artifacts/frame.ts'
import { QuasiError } from '../../errors.ts'
import { regress } from '../ols/regress.ts'

export interface Vif {
  readonly variable: string
  readonly vif: number
  /** R² of the variable on the others. */
  readonly r2: number
}

export interface VifResult {
  readonly vifs: readonly Vif[]
  /** Rows with every variable present. */
  readonly n: number
}

/** VIFs of the named numeric columns of `x` (each a Float64Array with NaN for missing). */
export function varianceInflation(columns: readonly { readonly name: string; readonly data: Float64Array }[]): VifResult {
  const nrows = columns[0]?.data.length ?? 0
  const rows: number[] = []
  for (let i = 0; i < nrows; i++) if (columns.every((c) => c.data[i] === c.data[i])) rows.push(i)
  const n = rows.length
  // Fresh names: the kernel reads `a:b` as an interaction, and a column may be called anything.
  const names = columns.map((_, j) => `x${j}`)
  const frame = new Frame(columns.map((c, j) => [names[j], numberColumn(Float64Array.from(rows, (i) => c.data[i]))] as const), n)
  const vifs = columns.map((c, j): Vif => {
    if (columns.length === 1) return { variable: c.name, vif: 1, r2: 0 }
    try {
      const r = regress(frame, { outcome: names[j], regressors: names.filter((_, k) => k !== j), vcov: 'iid' })
      return { variable: c.name, vif: r.tss > 0 ? r.tss / r.rss : NaN, r2: r.tss > 0 ? 1 - r.rss / r.tss : NaN }
    } catch (err) {
      // Too few rows for the regression (N ≤ K): no VIF.
      if (!(err instanceof QuasiError)) throw err
      return { variable: c.name, vif: NaN, r2: NaN }
    }
  })
  return { vifs, n }
}
