/**
 * The joined frame: left columns in their order, then the right side's non-key columns in
 * theirs. Key columns keep their left names; on right-only rows of an outer join they take
 * the right key's value (converted to the left column's type, which keys.ts made exact).
 * Non-key columns present on both sides are renamed with `suffix`.
 */
import { Frame, numberColumn, stringColumn } from '../../src/artifacts/frame.ts'
import type { Column } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { KeyPair, Side } from './keys.ts'
import type { Pairs } from './join.ts'

export interface Renamed {
  readonly side: 'left' | 'right'
  readonly from: string
  readonly to: string
}

/** A column of the joined frame: its name, and where it comes from. */
export interface JoinedColumn {
  readonly name: string
  readonly side: 'left' | 'right'
  readonly from: string
  /** For a key column: the right key it is filled from on right-only rows. */
  readonly rightKey?: string
}

/**
 * The joined frame's columns from the two sides' names alone (the `columns` hook uses it
 * too); `clash` holds the non-key names found on both sides.
 */
export function joinedColumns(
  leftNames: readonly string[],
  rightNames: readonly string[],
  keys: readonly Pick<KeyPair, 'left' | 'right'>[],
  suffix: string | readonly [string, string],
): { columns: JoinedColumn[]; clash: Set<string> } {
  const [leftSuffix, rightSuffix] = typeof suffix === 'string' ? ['', suffix] : suffix
  const leftKeys = new Map(keys.map((k) => [k.left, k.right]))
  const rightKeys = new Set(keys.map((k) => k.right))
  const leftSet = new Set(leftNames)
  const rightNonKey = rightNames.filter((n) => !rightKeys.has(n))
  const clash = new Set(rightNonKey.filter((n) => leftSet.has(n)))
  const columns: JoinedColumn[] = []
  for (const name of leftNames) {
    const rightKey = leftKeys.get(name)
    if (rightKey !== undefined) columns.push({ name, side: 'left', from: name, rightKey })
    else columns.push({ name: clash.has(name) ? name + leftSuffix : name, side: 'left', from: name })
  }
  for (const name of rightNonKey) columns.push({ name: clash.has(name) ? name + rightSuffix : name, side: 'right', from: name })
  return { columns, clash }
}

export function assemble(
  left: Side,
  right: Side,
  keys: readonly KeyPair[],
  pairs: Pairs,
  suffix: string | readonly [string, string],
): { frame: Frame; renamed: Renamed[] } {
  const { columns, clash } = joinedColumns(left.frame.names, right.frame.names, keys, suffix)
  const renamed: Renamed[] = []
  const out: [string, Column][] = []
  for (const c of columns) {
    if (c.rightKey !== undefined) {
      out.push([c.name, keyColumn(left.frame.column(c.from)!, right.frame.column(c.rightKey)!, pairs)])
      continue
    }
    if (c.name !== c.from) renamed.push({ side: c.side, from: c.from, to: c.name })
    const side = c.side === 'left' ? left : right
    out.push([c.name, gather(side.frame.column(c.from)!, c.side === 'left' ? pairs.left : pairs.right)])
  }

  const seen = new Set<string>()
  for (const [name] of out) {
    if (seen.has(name)) {
      throw new QuasiError(
        'INVALID_VALUE',
        `after joining, two columns would be named \`${name}\`: \`suffix\` does not make the names on both sides distinct`,
        {
          param: ['suffix'],
          found: JSON.stringify(suffix),
          hint: `columns on both sides: ${[...clash].join(', ')}. Choose a suffix that gives new names, e.g. \`suffix: [_${left.stage}, _${right.stage}]\`, or drop one of the columns first.`,
        },
      )
    }
    seen.add(name)
  }
  return { frame: new Frame(out, pairs.left.length), renamed }
}

/** Values of `col` at `rows`; −1 gives a missing value. */
function gather(col: Column, rows: Int32Array): Column {
  const n = rows.length
  if (col.type === 'number') {
    const d = new Float64Array(n)
    for (let i = 0; i < n; i++) d[i] = rows[i] < 0 ? NaN : col.data[rows[i]]
    return numberColumn(d)
  }
  const d = new Array<string | null>(n)
  for (let i = 0; i < n; i++) d[i] = rows[i] < 0 ? null : col.data[rows[i]]
  return stringColumn(d)
}

/** The left key column, filled from the right key on right-only rows. */
function keyColumn(lcol: Column, rcol: Column, pairs: Pairs): Column {
  const base = gather(lcol, pairs.left)
  const n = pairs.left.length
  if (base.type === 'number') {
    const d = base.data
    for (let i = 0; i < n; i++) {
      const j = pairs.right[i]
      if (pairs.left[i] >= 0 || j < 0) continue
      d[i] = rcol.type === 'number' ? rcol.data[j] : rcol.data[j] === null ? NaN : Number(rcol.data[j])
    }
    return base
  }
  const d = base.data as (string | null)[]
  for (let i = 0; i < n; i++) {
    const j = pairs.right[i]
    if (pairs.left[i] >= 0 || j < 0) continue
    if (rcol.type === 'string') d[i] = rcol.data[j]
    else d[i] = Number.isNaN(rcol.data[j]) ? null : String(rcol.data[j])
  }
  return base
}
