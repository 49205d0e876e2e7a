/**
 * Interaction terms for the regression kernel, in R's formula convention.
 *
 * ## Regressors
 * `a:b` is the product term a·b; `a*b` is `a + b + a:b`; `a*b*c` every main effect and every
 * product of two and three; `a*b:c` is `a + b:c + a:b:c` (`:` binds tighter than `*`), as in
 * R (Chambers & Hastie 1992, ch. 2; R's `?formula`). The list of specifications is expanded
 * as `model.matrix` orders its columns for these terms:
 *   - a term is the set of its variables: `a:a` is `a`, and `b:a` is the same term as `a:b`;
 *   - a term's name lists its variables in order of their first appearance in the whole
 *     list (`~ x2:x1 + x1` names the product `x2:x1`; `~ x1 + x2:x1` names it `x1:x2`);
 *   - terms are ordered by degree (main effects, then two-way, then three-way products),
 *     each group in order of first appearance; repeated terms are kept once.
 * A product column is missing (NaN) when any factor is; only numeric columns multiply
 * (a text column is an error, not R's expansion into level dummies).
 *
 * ## Fixed effects and clusters
 * `province:year` as a fixed effect (or cluster variable) is the interaction of the two
 * factors: one level per combination observed, missing when either part is missing
 * (../fe/factor.ts `interactFactors`; parts may be of any type).
 *
 * ## Names that contain `:`
 * A name that is itself a column of the frame is always that column (a column `a:b` made
 * earlier wins over the product of `a` and `b`). Otherwise the name is split at `:` into
 * columns, joining neighbouring pieces when the joined name is a column, longest first
 * (with columns `a:b` and `c`, `a:b:c` is the product of `a:b` and `c`).
 *
 * ## References
 * J. M. Chambers, T. J. Hastie (1992), Statistical Models in S, Wadsworth, ch. 2 (formulae);
 * G. N. Wilkinson, C. E. Rogers (1973), "Symbolic description of factorial models for
 * analysis of variance", J. Royal Statistical Society C 22(3), 392–399.
 */
import type { Column, Frame } from '../../artifacts/frame.ts'
import { QuasiError, type ErrorRole } from '../../errors.ts'
import { suggest } from '../../suggest.ts'

/**
 * Expands regressor specifications (`a`, `a:b`, `a*b`, `a*b*c`, `a*b:c`) into model terms,
 * ordered and de-duplicated as R's `model.matrix` would. A specification that is exactly the
 * name of one of `columns` is taken as it is (a column called `x*z` is not expanded).
 */
export function expandRegressors(specs: readonly string[], columns: readonly string[] = []): string[] {
  const known = new Set(columns)
  const order = new Map<string, number>() // variable → first appearance
  const seen = new Set<string>()
  const terms: { vars: string[]; key: string }[] = []
  const add = (vars: readonly string[]): void => {
    const set = [...new Set(vars)]
    const key = [...set].sort().join('\u0000')
    if (seen.has(key)) return
    seen.add(key)
    terms.push({ vars: set, key })
  }
  specs.forEach((spec, index) => {
    const text = spec.trim()
    if (known.has(text) || known.has(spec)) {
      const name = known.has(spec) ? spec : text
      if (!order.has(name)) order.set(name, order.size)
      add([name])
      return
    }
    const factors = parseProduct(spec, index, known)
    for (const f of factors) for (const v of f) if (!order.has(v)) order.set(v, order.size)
    // R: (A + B + A:B) * C = A + B + A:B + C + A:C + B:C + A:B:C
    let expanded: string[][] = []
    for (const f of factors) expanded = [...expanded, f, ...expanded.map((t) => [...t, ...f])]
    for (const t of expanded) add(t)
  })
  const named = terms.map((t, at) => {
    const vars = [...t.vars].sort((a, b) => order.get(a)! - order.get(b)!)
    return { name: vars.join(':'), degree: vars.length, at }
  })
  named.sort((a, b) => a.degree - b.degree || a.at - b.at)
  return named.map((t) => t.name)
}

/** `a*b:c` → [[a], [b, c]] (a factor that is a known column stays whole); errors point at the empty piece. */
function parseProduct(spec: string, index: number, known: ReadonlySet<string>): string[][] {
  const out: string[][] = []
  let pos = 0
  for (const factor of spec.split('*')) {
    if (known.has(factor.trim())) { // a column whose name contains `:`
      out.push([factor.trim()])
      pos += factor.length + 1
      continue
    }
    const vars: string[] = []
    let at = pos
    for (const piece of factor.split(':')) {
      const name = piece.trim()
      if (name === '') {
        const offset = at + piece.length
        throw new QuasiError('INVALID_VALUE', `regressor \`${spec}\`: a name is missing at character ${offset + 1}`, {
          expected: 'names joined by `:` (product) or `*` (main effects and product)',
          found: offset >= spec.length ? 'end of text' : `\`${spec[offset]}\``,
          offset,
          role: { role: 'regressor', column: spec, index },
        })
      }
      vars.push(name)
      at += piece.length + 1
    }
    out.push(vars)
    pos += factor.length + 1
  }
  return out
}

/**
 * The columns an interaction name stands for: `[name]` when `name` is a column, else the
 * split at `:` into columns with the longest names first; undefined when there is none.
 */
export function interactionParts(name: string, has: (column: string) => boolean): string[] | undefined {
  if (has(name)) return [name]
  const pieces = name.split(':')
  if (pieces.length < 2) return undefined
  const from = (i: number): string[] | undefined => {
    if (i === pieces.length) return []
    for (let j = pieces.length; j > i; j--) {
      if (i === 0 && j === pieces.length) continue // the whole name was tried above
      const raw = pieces.slice(i, j).join(':')
      const cand = has(raw) ? raw : raw.trim()
      if (!has(cand)) continue
      const rest = from(j)
      if (rest) return [cand, ...rest]
    }
    return undefined
  }
  return from(0)
}

/** How a role is named in messages. */
export const ROLE_WORDS: Record<ErrorRole['role'], string> = {
  outcome: 'outcome',
  regressor: 'regressor',
  fixed_effect: 'fixed effect',
  cluster: 'cluster variable',
  weights: 'weight column',
  design: 'model',
  covariate: 'covariate',
  treatment: 'treatment',
}

/**
 * MISSING_COLUMN for `name` in its role, with a did-you-mean. For an interaction whose
 * parts are not all columns, the message names the first part that is missing.
 */
export function missingColumnError(frame: Frame, name: string, role: ErrorRole['role'], index?: number): QuasiError {
  let missing = name
  if (name.includes(':')) {
    const first = name.split(':').map((p) => p.trim()).find((p) => !frame.has(p))
    if (first !== undefined) missing = first
  }
  const near = suggest(missing, frame.names)
  const what = missing === name ? `${ROLE_WORDS[role]} \`${name}\`` : `${ROLE_WORDS[role]} \`${name}\`: \`${missing}\``
  return new QuasiError('MISSING_COLUMN', `${what} is not a column of the data${near ? `; did you mean \`${near}\`?` : ''}`, {
    expected: 'a column name', found: missing,
    hint: near ? `did you mean \`${near}\`?` : `columns: ${frame.names.slice(0, 12).join(', ')}${frame.ncols > 12 ? ', …' : ''}`,
    role: { role, column: name, ...(index === undefined ? {} : { index }) },
  })
}

/**
 * The frame with a numeric product column added for every term `a:b` (or `a:b:c`) that is
 * not already a column. A product is NaN where any factor is missing. Terms without `:`
 * are left alone (regress() reports them if they are missing). Errors carry
 * `role: { role: 'regressor', column: term, index }`, index the term's position in `terms`.
 */
export function withInteractionColumns(frame: Frame, terms: readonly string[]): Frame {
  let out = frame
  terms.forEach((term, index) => {
    if (out.has(term) || !term.includes(':')) return
    const parts = interactionParts(term, (c) => frame.has(c))
    if (!parts) throw missingColumnError(frame, term, 'regressor', index)
    const data = new Float64Array(frame.nrows).fill(1)
    for (const p of parts) {
      const col = frame.column(p) as Column
      if (col.type !== 'number') {
        throw new QuasiError('BAD_DATA', `regressor \`${term}\`: \`${p}\` is a text column; interactions multiply numeric columns`, {
          expected: 'numeric columns', found: `\`${p}\`: a text column`,
          hint: 'interact a text column as a fixed effect (one level per combination), or code it as numbers first',
          role: { role: 'regressor', column: term, index },
        })
      }
      const d = col.data
      for (let i = 0; i < data.length; i++) data[i] *= d[i]
    }
    out = out.withColumn(term, { type: 'number', data })
  })
  return out
}
