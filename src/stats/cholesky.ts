/**
 * The Cholesky factor of a small symmetric positive definite k × k matrix (row-major, only the
 * lower triangle read), column by column. A pivot that is not above `tol` times its diagonal
 * entry (max(1, |a_jj|) with `floor: 1`) stops the factorization: the index of that column is
 * returned instead of L, so the caller can name what is collinear in its own terms.
 */
export function choleskyFactor(a: ArrayLike<number>, k: number, tol: number, opts: { floor?: number } = {}): Float64Array | number {
  const l = new Float64Array(k * k)
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j]
    for (let m = 0; m < j; m++) s -= l[j * k + m] * l[j * k + m]
    const scale = opts.floor === undefined ? a[j * k + j] : Math.max(opts.floor, Math.abs(a[j * k + j]))
    if (!(s > tol * scale)) return j
    const ljj = Math.sqrt(s)
    l[j * k + j] = ljj
    for (let i = j + 1; i < k; i++) {
      let t = a[i * k + j]
      for (let m = 0; m < j; m++) t -= l[i * k + m] * l[j * k + m]
      l[i * k + j] = t / ljj
    }
  }
  return l
}
