/** spatial-weights' `columns` hook: the unit, coordinate and economic columns against the `from` table. */
import { unknownColumns, type ColumnRef, type KnownColumns } from '../../src/columns/names.ts'
import type { ColumnContext } from '../../src/stage.ts'
import { DEFAULT_LAT, DEFAULT_LON, type SpatialWeightsParams } from './params.ts'

export function knownColumns(p: SpatialWeightsParams, ctx: ColumnContext): KnownColumns {
  const columns = p.from !== undefined ? ctx.input('from') : undefined
  if (!columns) return { errors: [] }
  const refs: ColumnRef[] = []
  const unit = p.unit ?? ctx.panel?.unit
  if (unit !== undefined) refs.push({ name: unit, param: p.unit !== undefined ? ['unit'] : ['from'] })
  if (p.kind === 'inverse-distance' || p.kind === 'knn' || p.kind === 'distance-band') {
    refs.push({ name: p.lat ?? DEFAULT_LAT, param: p.lat !== undefined ? ['lat'] : ['kind'] }, { name: p.lon ?? DEFAULT_LON, param: p.lon !== undefined ? ['lon'] : ['kind'] })
  }
  if (p.kind === 'economic' && p.column !== undefined) refs.push({ name: p.column, param: ['column'] })
  return { errors: unknownColumns(refs, columns, `stage \`${p.from}\``) }
}
