/**
 * Linear hypotheses R β = r on a fitted model, and their Wald test.
 *
 * ## Text form (parseHypothesis)
 *   hypothesis  = restriction { ";" restriction }        (or a list of restrictions)
 *   restriction = expr [ "=" expr ]                      ("x1" alone means x1 = 0)
 *   expr        = [ "+" | "-" ] product { ("+" | "-") product }
 *   product     = factor { ("*" | "/") factor }          (at most one term per product;
 *   factor      = number | term                           division by numbers only)
 * Every restriction becomes one row: (terms on the left − terms on the right) β =
 * (numbers on the right − numbers on the left). Term names are matched against the model's
 * terms longest first, so names with `(`, `:`, `[`, `.` or spaces (`(Intercept)`,
 * `beertax:south`) need no quoting; an interaction may be written in any order of its
 * parts (`unemp:beertax` for `beertax:unemp`). The rows must be linearly independent: a
 * restriction that repeats (or contradicts) the ones before it is an error, as in car's
 * linearHypothesis, whose (R V R')⁻¹ would not exist.
 *
 * ## Wald test (waldTest)
 *   W = (R b − r)' (R V R')⁻¹ (R b − r),   V the model's covariance (the same variance
 *   convention as its standard errors)
 *   F = W / q on (q, df_T) degrees of freedom, df_T the model's t degrees of freedom:
 *       G − 1 when clustered (G_min − 1 two-way), N − K_full otherwise;
 *   χ² = W on q degrees of freedom.
 * For q = 1, F = t² with t = (R b − r) / √(R V R'), the t test of the coefficients.
 * car::linearHypothesis(test = "F") uses the same W but df.residual of the model (N − K_full)
 * as the denominator also when V is clustered; quasi uses df_T, as its t tests, Stata's
 * `test` after reghdfe and fixest's wald() do (Cameron & Miller 2015, §VI.B). The χ² form
 * is the same in both. (R V R')⁻¹ d is solved by Cholesky; when R V R' is not positive
 * definite (more restrictions than clusters − 1 can support) the statistics are NaN.
 *
 * ## References
 * J. M. Wooldridge (2010), Econometric Analysis of Cross Section and Panel Data, 2nd ed., MIT
 *   Press, §4.2.3 and §7.3 (Wald tests with robust variance).
 * A. C. Cameron, D. L. Miller (2015), J. Human Resources 50(2), 317–372, doi:10.3368/jhr.50.2.317.
 * J. Fox, S. Weisberg (2019), An R Companion to Applied Regression, 3rd ed., Sage, §5.3.5
 *   (car::linearHypothesis).
 */
import { QuasiError } from '../../errors.ts'
import { suggest } from '../../suggest.ts'
import { chisqPValue, fPValue } from '../dist.ts'
import type { RegressionResult } from './types.ts'

export interface LinearHypothesis {
  /** q × k restriction matrix over `terms`. */
  readonly R: readonly (readonly number[])[]
  /** Right-hand side, length q. */
  readonly r: readonly number[]
  /** The model terms the columns of R refer to. */
  readonly terms: readonly string[]
  /** Each restriction as written (trimmed), length q. */
  readonly labels: readonly string[]
}

export interface WaldTest {
  /** Number of restrictions. */
  readonly q: number
  /** W / q. */
  readonly F: number
  readonly dfNum: number
  /** The model's t degrees of freedom (G − 1 clustered, N − K_full otherwise). */
  readonly dfDen: number
  readonly pF: number
  /** W. */
  readonly chi2: number
  readonly pChi2: number
  /** R b − r and its standard error √(R V R') when q = 1; NaN otherwise. */
  readonly estimate: number
  readonly stdError: number
}

export interface ParseHypothesisOptions {
  /** Terms dropped from the model as collinear: named in the error when a hypothesis uses one. */
  readonly dropped?: readonly string[]
}

/** Relative size below which a restriction row counts as a combination of the rows before it. */
const RANK_TOL = 1e-10

/**
 * Parses restrictions (`"did = 0"`, `"x1 + x2 = 0"`, `"x1 = x2"`, `"2*x1 - 0.5*x2 = 1"`,
 * `"x1"`, several joined by `;`, or a list of such strings) over the model's `terms`.
 * Errors are QuasiError INVALID_VALUE with `offset` (0-based, into the string, or into the
 * list element named by `role.index`), `expected`, `found`, and `role: { role: 'design' }`
 * (with `column` naming an unknown term, which also gets a did-you-mean).
 */
export function parseHypothesis(
  text: string | readonly string[], terms: readonly string[], opts: ParseHypothesisOptions = {},
): LinearHypothesis {
  const R: number[][] = []
  const r: number[] = []
  const labels: string[] = []
  const offsets: { element: number | undefined; offset: number; text: string }[] = []
  const list = typeof text === 'string' ? [text] : text
  if (list.length === 0) {
    throw new QuasiError('INVALID_VALUE', 'the hypothesis has no restriction', {
      expected: 'a restriction such as `x = 0`', found: 'an empty list', role: { role: 'design' },
    })
  }
  const byLength = [...terms].sort((a, b) => b.length - a.length)
  list.forEach((source, el) => {
    const element = typeof text === 'string' ? undefined : el
    const p = new Parser(source, terms, byLength, opts, element)
    for (const row of p.restrictions()) {
      R.push(row.coef)
      r.push(row.rhs)
      labels.push(row.label)
      offsets.push({ element, offset: row.offset, text: source })
    }
  })
  checkRank(R, r, labels, offsets)
  return { R, r, terms: [...terms], labels }
}

/**
 * The Wald test of R β = r on a fitted model (R over `result.terms`, in that order), with
 * the model's covariance and t degrees of freedom.
 */
export function waldTest(result: RegressionResult, R: readonly (readonly number[])[], r: readonly number[]): WaldTest {
  return wald(result.terms.map((t) => t.estimate), result.vcov, result.dfT, R, r)
}

/**
 * The same test from the estimates b (length k), their covariance V (row-major k × k) and
 * the denominator degrees of freedom of F.
 */
export function wald(
  b: ArrayLike<number>, V: ArrayLike<number>, dfDen: number, R: readonly (readonly number[])[], r: readonly number[],
): WaldTest {
  const k = b.length, q = R.length
  if (V.length !== k * k) throw new Error(`wald: V has ${V.length} entries for ${k} coefficients`)
  if (r.length !== q || R.some((row) => row.length !== k)) {
    throw new Error(`wald: R must be ${q} × ${k} and r of length ${q}`)
  }
  if (q === 0) return { q, F: NaN, dfNum: 0, dfDen, pF: NaN, chi2: NaN, pChi2: NaN, estimate: NaN, stdError: NaN }
  const d = R.map((row, i) => {
    let s = -r[i]
    for (let j = 0; j < k; j++) s += row[j] * b[j]
    return s
  })
  // M = R V R'
  const RV = R.map((row) => Array.from({ length: k }, (_, j) => {
    let s = 0
    for (let l = 0; l < k; l++) if (row[l] !== 0) s += row[l] * V[l * k + j]
    return s
  }))
  const M = R.map((_, a) => R.map((rowB, c) => {
    let s = 0
    for (let j = 0; j < k; j++) s += RV[a][j] * rowB[j]
    return s
  }))
  const W = quadInverse(M, d)
  const F = W / q
  return {
    q, F, dfNum: q, dfDen,
    pF: fPValue(F, q, dfDen),
    chi2: W,
    pChi2: chisqPValue(W, q),
    estimate: q === 1 ? d[0] : NaN,
    stdError: q === 1 ? Math.sqrt(M[0][0]) : NaN,
  }
}

/** d' M⁻¹ d by Cholesky (M symmetric); NaN when M is not positive definite. */
function quadInverse(M: number[][], d: number[]): number {
  const q = d.length
  const L = Array.from({ length: q }, () => new Array<number>(q).fill(0))
  for (let a = 0; a < q; a++) {
    for (let c = 0; c <= a; c++) {
      let s = M[a][c]
      for (let l = 0; l < c; l++) s -= L[a][l] * L[c][l]
      if (a === c) {
        if (!(s > 0)) return NaN
        L[a][a] = Math.sqrt(s)
      } else {
        L[a][c] = s / L[c][c]
      }
    }
  }
  let acc = 0
  const z = new Array<number>(q)
  for (let a = 0; a < q; a++) {
    let s = d[a]
    for (let l = 0; l < a; l++) s -= L[a][l] * z[l]
    z[a] = s / L[a][a]
    acc += z[a] * z[a]
  }
  return acc
}

/**
 * Rows of [R r] must be independent: Gram–Schmidt on R (twice, for stability); a row whose
 * remainder is ≤ RANK_TOL of its norm repeats earlier rows (same r) or contradicts them.
 */
function checkRank(
  R: number[][], r: number[], labels: string[], at: { element: number | undefined; offset: number; text: string }[],
): void {
  const basis: { v: number[]; rhs: number }[] = []
  R.forEach((row, i) => {
    let v = row.slice()
    let rhs = r[i]
    const norm = Math.hypot(...row)
    for (let pass = 0; pass < 2; pass++) {
      for (const e of basis) {
        let c = 0
        for (let j = 0; j < v.length; j++) c += e.v[j] * v[j]
        for (let j = 0; j < v.length; j++) v[j] -= c * e.v[j]
        rhs -= c * e.rhs
      }
    }
    const rest = Math.hypot(...v)
    if (rest <= RANK_TOL * norm) {
      const contradicts = Math.abs(rhs) > RANK_TOL * Math.max(1, Math.abs(r[i]), norm)
      const where = at[i]
      throw new QuasiError('INVALID_VALUE', `restriction ${i + 1} (\`${labels[i]}\`) ${contradicts ? 'contradicts' : 'repeats'} the restrictions before it${contradicts ? '' : ' (it is a linear combination of them)'}`, {
        expected: 'linearly independent restrictions',
        found: `\`${labels[i]}\``,
        hint: contradicts ? 'no coefficients can satisfy all restrictions together' : 'drop the redundant restriction',
        offset: where.offset,
        role: where.element === undefined ? { role: 'design' } : { role: 'design', index: where.element },
      })
    }
    v = v.map((x) => x / rest)
    basis.push({ v, rhs: rhs / rest })
  })
}

interface Row { coef: number[]; rhs: number; label: string; offset: number }

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const OPERATORS = '+-*/=;'

type Token =
  | { kind: 'num'; value: number; at: number; text: string }
  | { kind: 'term'; index: number; at: number; text: string }
  | { kind: 'op'; op: string; at: number; text: string }
  | { kind: 'end'; at: number; text: string }

class Parser {
  private pos = 0
  private tok: Token

  constructor(
    private readonly src: string,
    private readonly terms: readonly string[],
    private readonly byLength: readonly string[],
    private readonly opts: ParseHypothesisOptions,
    private readonly element: number | undefined,
  ) {
    this.tok = this.next()
  }

  restrictions(): Row[] {
    const rows: Row[] = []
    for (;;) {
      const start = this.tok.at
      if (this.tok.kind === 'end' && rows.length > 0 && this.src.slice(0, start).trimEnd().endsWith(';')) break // trailing ';'
      rows.push(this.restriction())
      rows[rows.length - 1].label = this.src.slice(start, this.tok.at).trim()
      if (this.tok.kind === 'end') break
      if (this.tok.kind === 'op' && this.tok.op === ';') { this.tok = this.next(); continue }
      throw this.error(this.tok, 'an operator (+ - * / = ;) or the end of the restriction')
    }
    return rows
  }

  private restriction(): Row {
    const offset = this.tok.at
    const coef = new Array<number>(this.terms.length).fill(0)
    if (this.src.trim() === '') {
      throw new QuasiError('INVALID_VALUE', 'the hypothesis is empty', {
        expected: 'a restriction such as `x = 0`', found: 'an empty text', offset: 0, role: this.role(),
      })
    }
    if (this.tok.kind === 'end' || (this.tok.kind === 'op' && this.tok.op === ';')) {
      throw this.error(this.tok, 'a restriction such as `x = 0`')
    }
    let constant = this.expr(coef, 1) // left − right: constants collected on the left
    let sides = 1
    if (this.tok.kind === 'op' && this.tok.op === '=') {
      this.tok = this.next()
      constant += this.expr(coef, -1)
      sides = 2
      if (this.tok.kind === 'op' && this.tok.op === '=') {
        throw this.error(this.tok, 'one `=` per restriction (separate restrictions with `;`)')
      }
    }
    if (coef.every((c) => c === 0)) {
      const found = this.src.slice(offset, this.tok.at).trim()
      throw new QuasiError('INVALID_VALUE', `restriction \`${found}\` involves no coefficient${sides === 2 ? ' (its terms cancel or there are none)' : ''}`, {
        expected: 'a restriction on at least one term of the model', found: `\`${found}\``, offset,
        role: this.role(),
      })
    }
    return { coef, rhs: constant === 0 ? 0 : -constant, label: '', offset }
  }

  /** Adds sign × (expression) into coef; returns sign × (its constant part). */
  private expr(coef: number[], sign: number): number {
    let constant = 0
    let s = 1
    if (this.tok.kind === 'op' && (this.tok.op === '+' || this.tok.op === '-')) {
      s = this.tok.op === '-' ? -1 : 1
      this.tok = this.next()
    }
    for (;;) {
      const p = this.product()
      if (p.term === undefined) constant += sign * s * p.value
      else coef[p.term] += sign * s * p.value
      if (this.tok.kind === 'op' && (this.tok.op === '+' || this.tok.op === '-')) {
        s = this.tok.op === '-' ? -1 : 1
        this.tok = this.next()
        continue
      }
      return constant
    }
  }

  private product(): { value: number; term: number | undefined } {
    let value = 1
    let term: number | undefined
    let first = true
    for (;;) {
      const t = this.tok
      if (!first) {
        if (!(t.kind === 'op' && (t.op === '*' || t.op === '/'))) return { value, term }
        this.tok = this.next()
        const f = this.tok
        if (t.op === '/') {
          if (f.kind !== 'num') throw this.error(f, 'a number to divide by')
          if (f.value === 0) throw this.error(f, 'a nonzero divisor')
          value /= f.value
          this.tok = this.next()
          continue
        }
      }
      first = false
      const f = this.tok
      if (f.kind === 'num') {
        value *= f.value
      } else if (f.kind === 'term') {
        if (term !== undefined) throw this.error(f, 'a number (a product of two terms is not linear)')
        term = f.index
      } else {
        throw this.error(f, 'a term of the model or a number')
      }
      this.tok = this.next()
    }
  }

  private next(): Token {
    const s = this.src
    let i = this.pos
    while (i < s.length && /\s/.test(s[i])) i++
    if (i >= s.length) { this.pos = i; return { kind: 'end', at: i, text: '' } }
    const c = s[i]
    // Known terms first, longest first, so `(Intercept)`, `a:b` and `x.1` are read whole.
    for (const name of this.byLength) {
      if (name.length > 0 && s.startsWith(name, i) && !isNameChar(s[i + name.length])) {
        this.pos = i + name.length
        return { kind: 'term', index: this.terms.indexOf(name), at: i, text: name }
      }
    }
    const num = NUMBER.exec(s.slice(i))
    if (num && !isNameChar(s[i + num[0].length], true)) {
      const value = Number(num[0])
      if (!Number.isFinite(value)) {
        this.pos = i + num[0].length
        throw this.error({ kind: 'num', value, at: i, text: num[0] }, 'a finite number')
      }
      this.pos = i + num[0].length
      return { kind: 'num', value, at: i, text: num[0] }
    }
    if (OPERATORS.includes(c)) { this.pos = i + 1; return { kind: 'op', op: c, at: i, text: c } }
    // An unknown name: up to white space or an operator.
    let j = i
    while (j < s.length && !OPERATORS.includes(s[j]) && !/\s/.test(s[j])) j++
    const word = s.slice(i, j)
    const swapped = this.reordered(word)
    if (swapped !== undefined) { this.pos = j; return { kind: 'term', index: swapped, at: i, text: word } }
    this.pos = j
    throw this.unknown(word, i)
  }

  /** `b:a` for the model term `a:b` (the same product). */
  private reordered(word: string): number | undefined {
    if (!word.includes(':')) return undefined
    const key = word.split(':').sort().join(':')
    const hits = this.terms.flatMap((t, k) => (t.includes(':') && t.split(':').sort().join(':') === key ? [k] : []))
    return hits.length === 1 ? hits[0] : undefined
  }

  private unknown(word: string, at: number): QuasiError {
    const dropped = this.opts.dropped?.includes(word)
    const near = dropped ? undefined : suggest(word, this.terms)
    const list = this.terms.map((t) => `\`${t}\``).join(', ')
    return new QuasiError('INVALID_VALUE', dropped
      ? `\`${word}\` was dropped from the model as collinear; it has no coefficient to test`
      : `\`${word}\` is not a term of the model${near ? `; did you mean \`${near}\`?` : ''}`, {
      expected: `a term of the model (${list || 'none'}) or a number`,
      found: `\`${word}\``,
      hint: near ? `did you mean \`${near}\`?` : dropped ? undefined : `terms: ${list || 'none'}`,
      offset: at,
      role: { ...this.role(), column: word },
    })
  }

  private error(t: Token, expected: string): QuasiError {
    const found = t.kind === 'end' ? 'end of text' : `\`${t.text}\``
    const where = t.kind === 'end' ? 'at the end' : `at character ${t.at + 1}`
    return new QuasiError('INVALID_VALUE', `hypothesis \`${this.src.trim()}\`: expected ${expected} ${where}, found ${found}`, {
      expected, found, offset: t.at, role: this.role(),
    })
  }

  private role(): { role: 'design'; index?: number } {
    return this.element === undefined ? { role: 'design' } : { role: 'design', index: this.element }
  }
}

/**
 * Characters that continue a name, so that `x1` is not read inside `x10` or `x1:z`, nor a
 * number inside `2x`. (`:` and `[` continue a name: `x1:z` is one word, an interaction.)
 */
function isNameChar(c: string | undefined, afterNumber = false): boolean {
  if (c === undefined) return false
  if (afterNumber) return /[A-Za-z_(\[:]/.test(c)
  return /[A-Za-z0-9_.:\[]/.test(c)
}
