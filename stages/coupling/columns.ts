/**
 * coupling's `columns` hook: the indicator and index columns, `unit`, `time` and `by` against
 * the `from` table; the frame gains u_<subsystem>, C, T, D, D_class, D_level and lagging.
 */
import { unknownColumns, type ColumnRef, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import type { CouplingParams } from './params.ts'
import { columnRefs, resolveSubsystems } from './subsystems.ts'

export function knownColumns(p: CouplingParams, ctx: ColumnContext): KnownColumns {
  const input = ctx.input('from')
  if (!input) return { errors: [] }
  const subs = resolveSubsystems(p)
  const refs: ColumnRef[] = columnRefs(subs)
  for (const k of ['unit', 'time', 'by'] as const) if (p[k] !== undefined) refs.push({ name: p[k]!, param: [k] })
  const added = [...subs.map((s) => s.column), 'C', 'T', 'D', 'D_class', 'D_level', 'lagging']
  return { columns: [...input, ...added.filter((c) => !input.includes(c))], errors: unknownColumns(refs, input, `stage \`${p.from}\``) }
}
