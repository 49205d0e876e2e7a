/**
 * Small dense linear algebra on row-major Float64Arrays, for the spatial kernels: the
 * N × N inverse of I − ρW (Gauss–Jordan with partial pivoting), and symmetric positive
 * definite solves and inverses of the k × k cross-products (Cholesky). Written out rather
 * than through ml-matrix because its element accessors cost ten times more at N = 280.
 */

/**
 * A⁻¹ of an n × n row-major matrix (copied); undefined when a pivot is below `tol`·max|A|.
 * Gauss–Jordan in place with partial pivoting (the inverse overwrites the copy column by
 * column, the row swaps undone as column swaps at the end): n³ multiply-adds.
 */
export function invert(a: Float64Array, n: number, tol = 1e-13): Float64Array | undefined {
  const m = Float64Array.from(a)
  const piv = new Int32Array(n)
  let scale = 0
  for (let i = 0; i < m.length; i++) scale = Math.max(scale, Math.abs(m[i]))
  for (let c = 0; c < n; c++) {
    let p = c, best = Math.abs(m[c * n + c])
    for (let r = c + 1; r < n; r++) { const v = Math.abs(m[r * n + c]); if (v > best) { best = v; p = r } }
    if (!(best > tol * scale)) return undefined
    piv[c] = p
    if (p !== c) swapRows(m, n, p, c)
    const co = c * n
    const d = 1 / m[co + c]
    m[co + c] = 1
    for (let j = 0; j < n; j++) m[co + j] *= d
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const ro = r * n
      const f = m[ro + c]
      if (f === 0) continue
      m[ro + c] = 0
      for (let j = 0; j < n; j++) m[ro + j] -= f * m[co + j]
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    const p = piv[c]
    if (p !== c) for (let r = 0; r < n; r++) { const ro = r * n, t = m[ro + c]; m[ro + c] = m[ro + p]; m[ro + p] = t }
  }
  return m
}

function swapRows(m: Float64Array, n: number, a: number, b: number): void {
  for (let j = 0; j < n; j++) { const t = m[a * n + j]; m[a * n + j] = m[b * n + j]; m[b * n + j] = t }
}

/** Cholesky factor L (lower, row-major) of a symmetric positive definite k × k matrix; undefined if not SPD. */
export function cholesky(a: ArrayLike<number>, k: number): Float64Array | undefined {
  const l = new Float64Array(k * k)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p]
      if (i === j) {
        if (!(s > 1e-14 * Math.abs(a[i * k + i]))) return undefined
        l[i * k + i] = Math.sqrt(s)
      } else l[i * k + j] = s / l[j * k + j]
    }
  }
  return l
}

/** Solve L L' x = b. */
export function cholSolve(l: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b)
  for (let i = 0; i < k; i++) { let s = x[i]; for (let p = 0; p < i; p++) s -= l[i * k + p] * x[p]; x[i] = s / l[i * k + i] }
  for (let i = k - 1; i >= 0; i--) { let s = x[i]; for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p]; x[i] = s / l[i * k + i] }
  return x
}

/** Inverse of a symmetric positive definite k × k matrix; undefined if not SPD. */
export function spdInverse(a: ArrayLike<number>, k: number): Float64Array | undefined {
  const l = cholesky(a, k)
  if (!l) return undefined
  const out = new Float64Array(k * k)
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k); e[j] = 1
    const x = cholSolve(l, k, e)
    for (let i = 0; i < k; i++) out[i * k + j] = x[i]
  }
  return out
}

/** Z'Z (k × k) and Z'v for columns Z (each of length n). */
export function crossprod(z: readonly Float64Array[]): Float64Array {
  const k = z.length
  const out = new Float64Array(k * k)
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) { const v = dot(z[i], z[j]); out[i * k + j] = v; out[j * k + i] = v }
  return out
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

/** Least squares of y on the columns z through the normal equations; undefined when Z'Z is singular. */
export function leastSquares(z: readonly Float64Array[], y: Float64Array, zz = crossprod(z)): { coef: Float64Array; resid: Float64Array } | undefined {
  const k = z.length
  const l = cholesky(zz, k)
  if (!l) return undefined
  const coef = cholSolve(l, k, z.map((c) => dot(c, y)))
  const resid = Float64Array.from(y)
  for (let j = 0; j < k; j++) { const c = z[j], b = coef[j]; for (let i = 0; i < resid.length; i++) resid[i] -= b * c[i] }
  return { coef, resid }
}

/**
 * Inverse of a symmetric positive definite n × n row-major matrix `a`, whole; undefined if not
 * SPD. Only a's lower triangle is read, and a is overwritten (by L, then L⁻¹), which spares
 * two N × N allocations. Cholesky a = LL′, then L⁻¹ and a⁻¹ = L⁻′L⁻¹, each along rows:
 * n³/2 multiply-adds against Gauss–Jordan's n³.
 */
export function spdInverseInPlace(a: Float64Array, n: number): Float64Array | undefined {
  // The loops run two rows at a time, and the dot product on four partial sums: the work is
  // bound by the latency of dependent adds and by loads of the accumulating row, not by arithmetic.
  // L in place: row i of L from a's row i and the rows j < i of L already written
  for (let i = 0; i < n; i++) {
    const ri = i * n
    for (let j = 0; j <= i; j++) {
      const rj = j * n
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0
      for (; p + 3 < j; p += 4) {
        s0 += a[ri + p] * a[rj + p]; s1 += a[ri + p + 1] * a[rj + p + 1]
        s2 += a[ri + p + 2] * a[rj + p + 2]; s3 += a[ri + p + 3] * a[rj + p + 3]
      }
      for (; p < j; p++) s0 += a[ri + p] * a[rj + p]
      const s = a[ri + j] - (s0 + s1 + (s2 + s3))
      if (i === j) {
        if (!(s > 0)) return undefined
        a[ri + i] = Math.sqrt(s)
      } else a[ri + j] = s / a[rj + j]
    }
  }
  // X = L⁻¹ in place, row by row: x_ij = −(Σ_{j≤p<i} l_ip x_pj)/l_ii, x_ii = 1/l_ii (row i of L
  // is read whole before row i of X replaces it; rows p < i are X already)
  const acc = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const ri = i * n
    acc.fill(0, 0, i)
    let p = 0
    for (; p + 1 < i; p += 2) {
      const l0 = a[ri + p], l1 = a[ri + p + 1], r0 = p * n, r1 = r0 + n
      for (let j = 0; j <= p; j++) acc[j] += l0 * a[r0 + j] + l1 * a[r1 + j]
      acc[p + 1] += l1 * a[r1 + p + 1]
    }
    for (; p < i; p++) {
      const lp = a[ri + p], rp = p * n
      for (let j = 0; j <= p; j++) acc[j] += lp * a[rp + j]
    }
    const d = 1 / a[ri + i]
    for (let j = 0; j < i; j++) a[ri + j] = -acc[j] * d
    a[ri + i] = d
  }
  // a⁻¹ = X′X: (a⁻¹)_jk = Σ_{p ≥ max(j,k)} x_pj x_pk, accumulated two rows of X at a time
  const out = new Float64Array(n * n)
  let p = 0
  for (; p + 1 < n; p += 2) {
    const r0 = p * n, r1 = r0 + n
    for (let j = 0; j <= p; j++) {
      const v0 = a[r0 + j], v1 = a[r1 + j], rj = j * n
      for (let k = 0; k <= j; k++) out[rj + k] += v0 * a[r0 + k] + v1 * a[r1 + k]
    }
    const v = a[r1 + p + 1], rj = (p + 1) * n
    for (let k = 0; k <= p + 1; k++) out[rj + k] += v * a[r1 + k]
  }
  for (; p < n; p++) {
    const rp = p * n
    for (let j = 0; j <= p; j++) {
      const v = a[rp + j], rj = j * n
      for (let k = 0; k <= j; k++) out[rj + k] += v * a[rp + k]
    }
  }
  for (let j = 0; j < n; j++) for (let k = 0; k < j; k++) out[k * n + j] = out[j * n + k]
  return out
}
