/** The raw matrix of each `kind` built from the data, with the kernels' problems worded for the pipeline. */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { SparseMatrix } from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import { distanceBand, economic, inverseDistance, kNearest } from '../../src/stats/spatial/build.ts'
import { points } from '../../src/stats/spatial/distance.ts'
import { SpatialInputError } from '../../src/stats/spatial/errors.ts'
import { unitConstant, unitMeans, type UnitIndex } from '../_spatial/panel-units.ts'
import { DEFAULT_LAT, DEFAULT_LON, type SpatialWeightsParams } from './params.ts'

export interface Built {
  readonly matrix: SparseMatrix
  readonly description: string
  /** The parameter an island is blamed on. */
  readonly islandParam: string
}

export function buildFromData(p: SpatialWeightsParams, frame: Frame, idx: UnitIndex): Built {
  const pairs = (ps: readonly (readonly [number, number])[]) => ps.map(([i, j]) => `\`${idx.units[i]}\` and \`${idx.units[j]}\``).join(', ')
  try {
    if (p.kind === 'economic') {
      const y = unitMeans(frame, p.column!, idx, ['column'])
      return { matrix: economic(y), description: `economic distance: 1/|ȳi − ȳj| of the unit means of ${p.column}`, islandParam: 'column' }
    }
    const lat = p.lat ?? DEFAULT_LAT, lon = p.lon ?? DEFAULT_LON
    const pts = points(unitConstant(frame, lat, idx, p.lat !== undefined ? ['lat'] : ['kind']), unitConstant(frame, lon, idx, p.lon !== undefined ? ['lon'] : ['kind']), p.radius_km)
    const radius = p.radius_km === 6371 ? '' : `, radius ${p.radius_km} km`
    if (p.kind === 'knn') return { matrix: kNearest(pts, p.k!), description: `${p.k} nearest neighbours by great-circle distance${radius}`, islandParam: 'k' }
    if (p.kind === 'distance-band') return { matrix: distanceBand(pts, p.cutoff!), description: `distance band: units within ${p.cutoff} km (great-circle${radius})`, islandParam: 'cutoff' }
    const power = p.power ?? 1
    return {
      matrix: inverseDistance(pts, { power, ...(p.cutoff !== undefined ? { cutoff: p.cutoff } : {}) }),
      description: `inverse great-circle distance 1/d${power === 1 ? '' : `^${power}`} (km)${p.cutoff !== undefined ? ` within ${p.cutoff} km` : ''}${radius}`,
      islandParam: p.cutoff !== undefined ? 'cutoff' : 'kind',
    }
  } catch (e) {
    if (!(e instanceof SpatialInputError)) throw e
    const q = e.problem
    switch (q.reason) {
      case 'coincident':
        throw new QuasiError('BAD_DATA', `units at the same point have no inverse distance: ${pairs(q.pairs)}`, {
          param: [p.lat !== undefined ? 'lat' : 'kind'], hint: 'check the coordinates, or use `kind: knn` or `distance-band`, which allow coincident points',
        })
      case 'equal-values':
        throw new QuasiError('BAD_DATA', `units with the same mean of \`${p.column}\` have no economic weight 1/|ȳi − ȳj|: ${pairs(q.pairs)}`, {
          param: ['column'], hint: 'use a column whose unit means differ',
        })
      case 'k-too-large':
        throw new QuasiError('INVALID_VALUE', `Expected \`k\` to be less than the number of units (${q.n}), got \`${q.k}\``, { param: ['k'] })
      case 'bad-coordinate':
        throw new QuasiError('BAD_DATA', `${q.role === 'lat' ? 'latitude' : 'longitude'} of unit \`${idx.units[q.unit]}\` is ${q.value}, outside [${q.role === 'lat' ? '-90, 90' : '-180, 180'}]`, {
          param: [(q.role === 'lat' ? p.lat : p.lon) !== undefined ? q.role : 'kind'], expected: `degrees in [${q.role === 'lat' ? '-90, 90' : '-180, 180'}]`, hint: q.role === 'lat' ? 'are `lat` and `lon` swapped?' : undefined,
        })
    }
  }
}
