/**
 * measure-gie's `columns` hook: the input and output columns it names; the frame gains the
 * score column `as` (and, for `gml`, its `_ec`, `_tc` and `_cum` parts).
 */
import { refsOf, unknownColumns, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { MeasureGieParams } from './params.ts'

export function knownColumns(p: MeasureGieParams, ctx: ColumnContext): KnownColumns {
  const input = ctx.input('from')
  if (!input) return { errors: [] }
  const refs = [...refsOf('inputs', p.inputs), ...refsOf('desirable', p.desirable), ...refsOf('undesirable', p.undesirable)]
  const added = p.model === 'gml' ? [p.as, `${p.as}_ec`, `${p.as}_tc`, `${p.as}_cum`] : [p.as]
  return { columns: [...input, ...added.filter((c) => !input.includes(c))], errors: unknownColumns(refs, input, `stage \`${p.from}\``) }
}
