/**
 * moran: global Moran's I of a column per period against a `spatial-weights` matrix, with
 * E[I], variances under normality and randomisation, z and p (as spdep's moran.test) and a
 * permutation p (as moran.mc); optionally local Moran's I (LISA) for one period with a cluster
 * map. moran.csv, table.md/.tex/.html/.csv (the per-year table of the papers), local.csv,
 * lisa.svg. Formulas: docs/methods.md, "Moran's I".
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { unknownColumns, type ColumnRef } from '../../src/columns/names.ts'
import { moranParams, type MoranParams } from './params.ts'

const work = () => import('./run.ts')

export const MORAN_FACTS = ['periods', 'I', 'z', 'p', 'p_perm', 'I(<period>)', 'z(<period>)', 'p(<period>)', 'p_perm(<period>)', 'min_I', 'max_I', 'min_p', 'max_p', 'lisa_HH', 'lisa_LL', 'lisa_HL', 'lisa_LH'] as const

export default defineStage<MoranParams>({
  kind: 'moran',
  version: 1,
  description: 'Global Moran\'s I of a column per period (E[I], variance under normality and randomisation, z, p as spdep::moran.test, permutation p as moran.mc), optional local Moran (LISA) with a cluster map; moran.csv, table.*, local.csv, lisa.svg; facts `I(<period>)`, `p(<period>)`, `min_p`, `max_I`.',
  params: moranParams,
  references: ['from', 'weights'],
  random: true,
  produces: ['data'],
  consumes: { from: 'frame', weights: 'weights' },
  facts: [...MORAN_FACTS],
  check(p) {
    const errors: QuasiError[] = []
    if ((p.lat === undefined) !== (p.lon === undefined)) {
      errors.push(new QuasiError('MISSING_PARAM', 'the cluster map needs both `lat` and `lon`', { param: [p.lat === undefined ? 'lon' : 'lat'] }))
    }
    if (!p.local) {
      for (const k of ['period', 'lat', 'lon'] as const) if (p[k] !== undefined) errors.push(new QuasiError('INVALID_VALUE', `\`${k}\` is for the local statistics; add \`local: true\``, { param: [k] }))
    }
    return errors
  },
  columns(p, ctx) {
    const columns = ctx.input('from')
    if (!columns) return { errors: [] }
    const refs: ColumnRef[] = [{ name: p.column, param: ['column'] }]
    for (const k of ['unit', 'time', 'lat', 'lon'] as const) if (p[k] !== undefined) refs.push({ name: p[k]!, param: [k] })
    return { errors: unknownColumns(refs, columns, `stage \`${p.from}\``) }
  },
  async run(ctx) {
    const { runMoran } = await work()
    return runMoran(ctx)
  },
})
