/** The values of a composite's mixing weight `a`: one number, a list, or `{ from, to, by }`. */
import { QuasiError } from '../../src/errors.ts'
import type { Grid } from './params.ts'

/** Grid points are rounded to 12 decimals, so `by: 0.1` gives 0.3 and not 0.30000000000000004. */
const tidy = (x: number) => Number(x.toFixed(12))

export function gridValues(a: Grid): number[] {
  if (typeof a === 'number') return [a]
  if (Array.isArray(a)) return a.map(tidy)
  const count = Math.floor((a.to - a.from) / a.by + 1e-9) + 1
  return Array.from({ length: count }, (_, k) => tidy(a.from + k * a.by))
}

/** Problems with `a` that the schema cannot see: a backwards or too fine grid, repeated values. */
export function gridErrors(a: Grid | undefined): QuasiError[] {
  if (a === undefined || typeof a === 'number') return []
  if (!Array.isArray(a)) {
    if (a.from > a.to) return [new QuasiError('INVALID_VALUE', `the grid of \`a\` runs backwards: from ${a.from} to ${a.to}`, { param: ['a'], expected: '`from` <= `to`' })]
    if ((a.to - a.from) / a.by > 1000) return [new QuasiError('INVALID_VALUE', `the grid of \`a\` has more than 1,001 values`, { param: ['a', 'by'], expected: 'a coarser step' })]
    return []
  }
  const v = gridValues(a)
  const dup = v.findIndex((x, i) => v.indexOf(x) !== i)
  return dup >= 0 ? [new QuasiError('INVALID_VALUE', `\`a\` lists ${v[dup]} twice`, { param: ['a', dup] })] : []
}
