/**
 * spatial-weights: the N × N spatial weights matrix over the units of a table, from
 * coordinates (inverse great-circle distance, k nearest, distance band), from a column's unit
 * means (economic distance), as a mix a·W1 + (1 − a)·W2 of two such stages over a grid of a
 * (one candidate matrix per a), or read from a file (long or dense CSV, GeoDa .gal/.gwt).
 * Publishes the `weights` artifact that `moran`, `spatial-tests` and `spatial` read through
 * `weights:`; writes summary.csv/.md and weights.csv. Formulas: docs/methods.md, "Spatial weights".
 */
import { QuasiError } from '../../src/errors.ts'
import { defineStage } from '../../src/stage.ts'
import { knownColumns } from './columns.ts'
import { gridErrors } from './grid.ts'
import { spatialWeightsParams, type SpatialWeightsParams } from './params.ts'

const build = () => import('./run.ts')

export const SPATIAL_WEIGHTS_FACTS = ['n', 'links', 'mean_neighbors', 'min_neighbors', 'max_neighbors', 'islands', 'symmetric', 'candidates'] as const

/** Parameters each source takes (besides `style`, `islands` and `radius_km`, which always have a value). */
const TAKES: Record<string, readonly string[]> = {
  'inverse-distance': ['from', 'unit', 'lat', 'lon', 'power', 'cutoff'],
  knn: ['from', 'unit', 'lat', 'lon', 'k'],
  'distance-band': ['from', 'unit', 'lat', 'lon', 'cutoff'],
  economic: ['from', 'unit', 'column'],
  composite: ['weights', 'a'],
  file: ['file', 'format', 'from', 'unit'],
}
const NEEDS: Record<string, readonly string[]> = {
  'inverse-distance': ['from'], knn: ['from', 'k'], 'distance-band': ['from', 'cutoff'], economic: ['from', 'column'], composite: ['weights', 'a'], file: ['file'],
}

export function checkParams(p: SpatialWeightsParams): QuasiError[] {
  if ((p.kind === undefined) === (p.file === undefined)) {
    return [new QuasiError(p.kind === undefined ? 'MISSING_PARAM' : 'INVALID_VALUE', p.kind === undefined ? 'give `kind` (how to build the matrix) or `file` (a weights file)' : '`kind` and `file` are two ways to get the matrix; give one', {
      param: p.kind === undefined ? [] : ['file'], expected: '`kind: inverse-distance | knn | distance-band | economic | composite`, or `file:`',
    })]
  }
  const source = p.kind ?? 'file'
  const errors: QuasiError[] = []
  for (const need of NEEDS[source]) {
    if ((p as unknown as Record<string, unknown>)[need] === undefined) errors.push(new QuasiError('MISSING_PARAM', `\`${source === 'file' ? 'file' : `kind: ${source}`}\` needs \`${need}\``, { param: [] }))
  }
  const always = new Set(['kind', 'style', 'islands', 'radius_km', ...TAKES[source]])
  for (const k of Object.keys(p)) {
    if (!always.has(k) && (p as unknown as Record<string, unknown>)[k] !== undefined) {
      errors.push(new QuasiError('INVALID_VALUE', `\`${k}\` does not apply to ${source === 'file' ? 'a weights `file`' : `\`kind: ${source}\``}`, { param: [k], hint: `remove \`${k}\`` }))
    }
  }
  return [...errors, ...gridErrors(p.a)]
}

export default defineStage<SpatialWeightsParams>({
  kind: 'spatial-weights',
  version: 2,
  description: 'Spatial weights matrix over the units: inverse great-circle distance, k nearest, distance band, economic distance 1/|ȳi − ȳj|, a composite a·W1 + (1 − a)·W2 over a grid of a, or a file (long/dense CSV, .gal, .gwt); row, binary or no styling; summary.csv/.md, weights.csv; facts `n`, `links`, `mean_neighbors`, `islands`, `symmetric`.',
  params: spatialWeightsParams,
  references: ['from', 'weights'],
  files: ['file'],
  produces: ['weights'],
  consumes: { from: 'frame', weights: 'weights' },
  facts: [...SPATIAL_WEIGHTS_FACTS],
  check: checkParams,
  columns: knownColumns,
  async run(ctx) {
    const { runSpatialWeights } = await build()
    return runSpatialWeights(ctx)
  },
})
