/**
 * merge's `columns` hook: each key column checked on its side, and the joined frame's names
 * as `assemble` builds them (left columns, then the right side's non-key columns, suffixed
 * where both sides have one).
 */
import { unknownColumn, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { joinedColumns } from './assemble.ts'
import { keyPairs } from './keys.ts'
import type { MergeParams } from './params.ts'

const DIFFERENT_NAMES = 'if the key is named differently on the two sides, write `on: {left_name: right_name}`'

export function knownColumns(p: MergeParams, ctx: ColumnContext): KnownColumns {
  const keys = keyPairs(p.on)
  const left = ctx.input('left')
  const right = ctx.input('right')
  const errors = []
  for (const k of keys) {
    if (left && !left.includes(k.left)) errors.push(unknownColumn(k.left, left, `\`left\` (stage \`${p.left}\`)`, k.param, DIFFERENT_NAMES))
    if (right && !right.includes(k.right)) errors.push(unknownColumn(k.right, right, `\`right\` (stage \`${p.right}\`)`, k.param, DIFFERENT_NAMES))
  }
  if (!left || !right || errors.length > 0) return { errors }
  const names = joinedColumns(left, right, keys, p.suffix).columns.map((c) => c.name)
  // Names a suffix leaves clashing fail the run with their own message.
  return { columns: new Set(names).size === names.length ? names : undefined, errors }
}
