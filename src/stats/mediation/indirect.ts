/**
 * Tests of an indirect effect a·b from the two coefficients and their standard errors
 * (a: treatment → mediator, b: mediator → outcome given the treatment), two-sided p-values
 * from the standard normal:
 *
 *   Sobel    z = ab / √(b²s_a² + a²s_b²)                (first-order delta method)
 *   Aroian   z = ab / √(b²s_a² + a²s_b² + s_a²s_b²)     (second-order term added)
 *   Goodman  z = ab / √(b²s_a² + a²s_b² − s_a²s_b²)     (unbiased variance; NaN when negative)
 *
 * ## References
 * M. E. Sobel (1982), "Asymptotic confidence intervals for indirect effects in structural
 *   equation models", Sociological Methodology 13, 290–312, doi:10.2307/270723.
 * L. A. Aroian (1947), "The probability function of the product of two normally distributed
 *   variables", Annals of Mathematical Statistics 18(2), 265–271.
 * L. A. Goodman (1960), "On the exact variance of products", JASA 55(292), 708–713.
 * K. J. Preacher, G. J. Leonardelli (2001), "Calculation for the Sobel test" (the three
 *   formulas side by side); D. P. MacKinnon et al. (2002), Psychological Methods 7(1), 83–104.
 */
import { zPValue } from '../dist.ts'

export interface ZTest {
  readonly z: number
  readonly p: number
}

export interface IndirectTests {
  readonly sobel: ZTest
  readonly aroian: ZTest
  readonly goodman: ZTest
}

export function indirectTests(a: number, seA: number, b: number, seB: number): IndirectTests {
  const ab = a * b
  const first = b * b * seA * seA + a * a * seB * seB
  const second = seA * seA * seB * seB
  const test = (v: number): ZTest => {
    const z = v > 0 ? ab / Math.sqrt(v) : NaN
    return { z, p: zPValue(z) }
  }
  return { sobel: test(first), aroian: test(first + second), goodman: test(first - second) }
}
