/**
 * Eigenvalues of a general real matrix, without eigenvectors: balancing, reduction to upper
 * Hessenberg form by stabilized elementary similarity transformations, and the shifted QR
 * (Francis double-shift) iteration on the Hessenberg matrix (Press et al., Numerical Recipes,
 * §11.5–11.6: balanc, elmhes, hqr; after EISPACK). About 10N³/3 + O(N²) per iteration; several
 * times faster than a decomposition that also accumulates eigenvectors. Complex eigenvalues
 * come in conjugate pairs as (re, im). Indices are 1-based inside, as in the reference.
 */

/** Eigenvalues of the n × n row-major matrix `m` (not modified); undefined if QR does not converge. */
export function generalEigenvalues(m: Float64Array, n: number): { re: Float64Array; im: Float64Array } | undefined {
  const N = n + 1
  const a = new Float64Array(N * N)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[(i + 1) * N + j + 1] = m[i * n + j]
  balance(a, n, N)
  hessenberg(a, n, N)
  const wr = new Float64Array(N), wi = new Float64Array(N)
  if (!hqr(a, n, N, wr, wi)) return undefined
  return { re: wr.subarray(1), im: wi.subarray(1) }
}

function balance(a: Float64Array, n: number, N: number): void {
  const RADIX = 2, sqrdx = RADIX * RADIX
  let last = false
  while (!last) {
    last = true
    for (let i = 1; i <= n; i++) {
      let r = 0, c = 0
      for (let j = 1; j <= n; j++) if (j !== i) { c += Math.abs(a[j * N + i]); r += Math.abs(a[i * N + j]) }
      if (c !== 0 && r !== 0) {
        let g = r / RADIX, f = 1
        const s = c + r
        while (c < g) { f *= RADIX; c *= sqrdx }
        g = r * RADIX
        while (c > g) { f /= RADIX; c /= sqrdx }
        if ((c + r) / f < 0.95 * s) {
          last = false
          g = 1 / f
          for (let j = 1; j <= n; j++) a[i * N + j] *= g
          for (let j = 1; j <= n; j++) a[j * N + i] *= f
        }
      }
    }
  }
}

function hessenberg(a: Float64Array, n: number, N: number): void {
  const y = new Float64Array(N)
  for (let m = 2; m < n; m++) {
    let x = 0, i = m
    for (let j = m; j <= n; j++) if (Math.abs(a[j * N + m - 1]) > Math.abs(x)) { x = a[j * N + m - 1]; i = j }
    if (i !== m) {
      for (let j = m - 1; j <= n; j++) { const t = a[i * N + j]; a[i * N + j] = a[m * N + j]; a[m * N + j] = t }
      for (let j = 1; j <= n; j++) { const t = a[j * N + i]; a[j * N + i] = a[j * N + m]; a[j * N + m] = t }
    }
    if (x === 0) continue
    // L⁻¹A then (L⁻¹A)L: all row eliminations first, then column m gains Σ_i y_i·(column i),
    // one contiguous dot product per row instead of a strided pass per column
    let any = false
    const rm = m * N
    for (i = m + 1; i <= n; i++) {
      const ri = i * N
      let yi = a[ri + m - 1]
      y[i] = 0
      if (yi !== 0) {
        yi /= x
        a[ri + m - 1] = yi
        y[i] = yi
        any = true
        for (let j = m; j <= n; j++) a[ri + j] -= yi * a[rm + j]
      }
    }
    if (!any) continue
    for (let j = 1; j <= n; j++) {
      const rj = j * N
      // four partial sums: a single one is bound by the latency of its adds
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, c = m + 1
      for (; c + 3 <= n; c += 4) {
        s0 += y[c] * a[rj + c]; s1 += y[c + 1] * a[rj + c + 1]
        s2 += y[c + 2] * a[rj + c + 2]; s3 += y[c + 3] * a[rj + c + 3]
      }
      for (; c <= n; c++) s0 += y[c] * a[rj + c]
      a[rj + m] += s0 + s1 + (s2 + s3)
    }
  }
}

const sign = (a: number, b: number) => (b >= 0 ? Math.abs(a) : -Math.abs(a))

function hqr(a: Float64Array, n: number, N: number, wr: Float64Array, wi: Float64Array): boolean {
  let anorm = 0
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(a[i * N + j])
  let nn = n, t = 0
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0
  while (nn >= 1) {
    let its = 0, l: number
    do {
      for (l = nn; l >= 2; l--) {
        s = Math.abs(a[(l - 1) * N + l - 1]) + Math.abs(a[l * N + l])
        if (s === 0) s = anorm
        if (Math.abs(a[l * N + l - 1]) + s === s) { a[l * N + l - 1] = 0; break }
      }
      x = a[nn * N + nn]
      if (l === nn) { wr[nn] = x + t; wi[nn--] = 0 }
      else {
        y = a[(nn - 1) * N + nn - 1]
        w = a[nn * N + nn - 1] * a[(nn - 1) * N + nn]
        if (l === nn - 1) {
          p = 0.5 * (y - x); q = p * p + w; z = Math.sqrt(Math.abs(q)); x += t
          if (q >= 0) {
            z = p + sign(z, p)
            wr[nn - 1] = wr[nn] = x + z
            if (z !== 0) wr[nn] = x - w / z
            wi[nn - 1] = wi[nn] = 0
          } else {
            wr[nn - 1] = wr[nn] = x + p
            wi[nn] = z
            wi[nn - 1] = -z
          }
          nn -= 2
        } else {
          if (its === 60) return false
          if (its === 10 || its === 20) {
            t += x
            for (let i = 1; i <= nn; i++) a[i * N + i] -= x
            s = Math.abs(a[nn * N + nn - 1]) + Math.abs(a[(nn - 1) * N + nn - 2])
            y = x = 0.75 * s
            w = -0.4375 * s * s
          }
          ++its
          let m: number
          for (m = nn - 2; m >= l; m--) {
            z = a[m * N + m]; r = x - z; s = y - z
            p = (r * s - w) / a[(m + 1) * N + m] + a[m * N + m + 1]
            q = a[(m + 1) * N + m + 1] - z - r - s
            r = a[(m + 2) * N + m + 1]
            s = Math.abs(p) + Math.abs(q) + Math.abs(r)
            p /= s; q /= s; r /= s
            if (m === l) break
            const u = Math.abs(a[m * N + m - 1]) * (Math.abs(q) + Math.abs(r))
            const v = Math.abs(p) * (Math.abs(a[(m - 1) * N + m - 1]) + Math.abs(z) + Math.abs(a[(m + 1) * N + m + 1]))
            if (u + v === v) break
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i * N + i - 2] = 0
            if (i !== m + 2) a[i * N + i - 3] = 0
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = a[k * N + k - 1]; q = a[(k + 1) * N + k - 1]; r = 0
              if (k !== nn - 1) r = a[(k + 2) * N + k - 1]
              if ((x = Math.abs(p) + Math.abs(q) + Math.abs(r)) !== 0) { p /= x; q /= x; r /= x }
            }
            if ((s = sign(Math.sqrt(p * p + q * q + r * r), p)) !== 0) {
              if (k === m) { if (l !== m) a[k * N + k - 1] = -a[k * N + k - 1] }
              else a[k * N + k - 1] = -s * x
              p += s; x = p / s; y = q / s; z = r / s; q /= p; r /= p
              // the reflector on rows k..k+2 (columns k..nn), then on columns k..k+2 (rows l..k+3)
              const r0 = k * N, r1 = r0 + N, r2 = r1 + N
              const mmin = nn < k + 3 ? nn : k + 3
              if (k !== nn - 1) {
                for (let j = k; j <= nn; j++) {
                  const v = a[r0 + j] + q * a[r1 + j] + r * a[r2 + j]
                  a[r2 + j] -= v * z
                  a[r1 + j] -= v * y
                  a[r0 + j] -= v * x
                }
                for (let i = l, o = l * N + k; i <= mmin; i++, o += N) {
                  const v = x * a[o] + y * a[o + 1] + z * a[o + 2]
                  a[o + 2] -= v * r
                  a[o + 1] -= v * q
                  a[o] -= v
                }
              } else {
                for (let j = k; j <= nn; j++) {
                  const v = a[r0 + j] + q * a[r1 + j]
                  a[r1 + j] -= v * y
                  a[r0 + j] -= v * x
                }
                for (let i = l, o = l * N + k; i <= mmin; i++, o += N) {
                  const v = x * a[o] + y * a[o + 1]
                  a[o + 1] -= v * q
                  a[o] -= v
                }
              }
            }
          }
        }
      }
    } while (l < nn - 1)
  }
  return true
}
