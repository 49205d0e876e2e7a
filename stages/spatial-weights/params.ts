/** `with:` of the `spatial-weights` stage: JSON Schema (descriptions feed `quasi schema` and editors) and its TS type. */
import type { JsonSchema } from '../../src/stage.ts'

export type WeightsKind = 'inverse-distance' | 'knn' | 'distance-band' | 'economic' | 'composite'
export type Grid = number | number[] | { from: number; to: number; by: number }

export interface SpatialWeightsParams {
  from?: string
  unit?: string
  kind?: WeightsKind
  file?: string
  format?: 'long' | 'dense' | 'gal' | 'gwt'
  lat?: string
  lon?: string
  radius_km: number
  power?: number
  cutoff?: number
  k?: number
  column?: string
  weights?: string[]
  a?: Grid
  style: 'row' | 'binary' | 'none'
  islands: 'error' | 'keep'
}

export const DEFAULT_LAT = 'lat'
export const DEFAULT_LON = 'lon'

const num = { type: 'number' }

export const spatialWeightsParams: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: {
      type: 'string', minLength: 1,
      description: 'The table whose units the matrix is over (one row per unit, or a panel: coordinates must then be constant within unit). Needed for every `kind`; with `file` it checks that the file names the same units.',
    },
    unit: { type: 'string', minLength: 1, description: 'The unit column of `from`. Default: the pipeline\'s `panel.unit`.' },
    kind: {
      enum: ['inverse-distance', 'knn', 'distance-band', 'economic', 'composite'],
      description: '`inverse-distance`: 1/d^power of great-circle distances (km); `knn`: the `k` nearest units; `distance-band`: 1 within `cutoff` km; `economic`: 1/|ȳi − ȳj| of the unit means of `column`; `composite`: a·W1 + (1 − a)·W2 of the two `weights` stages. Give `kind` or `file`.',
    },
    file: {
      type: 'string', minLength: 1,
      description: 'A weights file, relative to the pipeline file: a long CSV (`from`, `to`, `weight`), a dense matrix CSV (first column the unit ids, header the unit ids), or GeoDa `.gal` / `.gwt`.',
      examples: ['data/w.csv', 'data/contiguity.gal'],
    },
    format: { enum: ['long', 'dense', 'gal', 'gwt'], description: 'Format of `file`. Default: `.gal` and `.gwt` by extension; a CSV is long when its header has `from` and `to`, dense otherwise.' },
    lat: { type: 'string', minLength: 1, description: 'Latitude column (degrees, −90 to 90). Default: `lat`.' },
    lon: { type: 'string', minLength: 1, description: 'Longitude column (degrees, −180 to 180). Default: `lon`.' },
    radius_km: { type: 'number', exclusiveMinimum: 0, default: 6371, description: 'Sphere radius of the haversine distance, km. Default: 6371 (mean Earth radius).' },
    power: { type: 'number', exclusiveMinimum: 0, description: '`inverse-distance`: the exponent p of 1/d^p. Default: 1.' },
    cutoff: { type: 'number', exclusiveMinimum: 0, description: 'Distance in km: `distance-band` links units within it (required); `inverse-distance` drops links beyond it (optional).' },
    k: { type: 'integer', minimum: 1, description: '`knn`: number of nearest neighbours (less than the number of units).' },
    column: { type: 'string', minLength: 1, description: '`economic`: the column whose unit means ȳ give the weights 1/|ȳi − ȳj|.', examples: ['gdp_pc'] },
    weights: {
      type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', minLength: 1 },
      description: '`composite`: the two `spatial-weights` stages W1 and W2 mixed as a·W1 + (1 − a)·W2 (each with one matrix, over the same units).',
      examples: [['w_geo', 'w_eco']],
    },
    a: {
      description: '`composite`: the mixing weight a in [0, 1]: a number, a list, or a grid `{ from, to, by }`; one candidate matrix per value, labelled `a = 0.3`.',
      oneOf: [
        { type: 'number', minimum: 0, maximum: 1 },
        { type: 'array', minItems: 1, items: { type: 'number', minimum: 0, maximum: 1 } },
        { type: 'object', additionalProperties: false, required: ['from', 'to', 'by'], properties: { from: { ...num, minimum: 0, maximum: 1 }, to: { ...num, minimum: 0, maximum: 1 }, by: { ...num, exclusiveMinimum: 0 } } },
      ],
      examples: [0.5, { from: 0, to: 1, by: 0.1 }],
    },
    style: { enum: ['row', 'binary', 'none'], default: 'row', description: '`row`: each row divided by its sum (rows sum to 1); `binary`: 1 for every link; `none`: the weights as built. A composite is styled after mixing. Default: `row`.' },
    islands: { enum: ['error', 'keep'], default: 'error', description: 'Units without neighbours (rows of zeros): an error naming them, or `keep` them (their rows stay zero). Default: `error`.' },
  },
}
