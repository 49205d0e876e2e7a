/** The spatial-weights stage's work, loaded on demand by stage.ts (see docs/methods.md, "Spatial weights"). */
import {
  binarize, islands, mixSparse, permuteSparse, rowStandardize, type SparseMatrix, type Weights, type WeightsCandidate,
} from '../../src/artifacts/weights.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { keyNormalizer, listUnits, unitIndex, unitMismatch } from '../_spatial/panel-units.ts'
import { assembleFile } from './assemble.ts'
import { buildFromData } from './build.ts'
import { readWeightsFile } from './formats.ts'
import { gridValues } from './grid.ts'
import { summaryFiles, summarize, weightsCsv } from './summary.ts'
import type { SpatialWeightsParams } from './params.ts'

export async function runSpatialWeights(ctx: StageContext<SpatialWeightsParams>): Promise<StageResult> {
  const p = ctx.params
  let weights: Weights
  if (p.kind === 'composite') weights = composite(ctx)
  else {
    const { units, matrix, description, islandParam } = p.file !== undefined ? fromFile(ctx) : fromData(ctx)
    checkIslands(p, units, matrix, islandParam)
    weights = { units, style: p.style, description, candidates: [{ label: 'W', matrix: styled(matrix, p.style) }] }
  }
  const stats = weights.candidates.map((c) => summarize(c.matrix))
  const first = stats[0]
  ctx.log.info(`${weights.description}: N = ${first.n}, ${first.links} links, ${first.meanNeighbors.toFixed(2)} neighbours on average${weights.candidates.length > 1 ? `; ${weights.candidates.length} candidates` : ''}`)
  if (first.islands > 0) ctx.log.warn(`${first.islands} unit${first.islands > 1 ? 's have' : ' has'} no neighbours (kept: their rows are zero)`)
  return {
    weights,
    files: { ...summaryFiles(weights, stats), 'weights.csv': weightsCsv(weights) },
    facts: {
      n: first.n, links: first.links, mean_neighbors: first.meanNeighbors, min_neighbors: first.minNeighbors, max_neighbors: first.maxNeighbors,
      islands: first.islands, symmetric: first.symmetric ? 1 : 0, candidates: weights.candidates.length,
    },
  }
}

function styled(m: SparseMatrix, style: SpatialWeightsParams['style']): SparseMatrix {
  return style === 'row' ? rowStandardize(m) : style === 'binary' ? binarize(m) : m
}

function checkIslands(p: SpatialWeightsParams, units: readonly string[], m: SparseMatrix, param: string, label?: string): void {
  const isl = islands(m)
  if (!isl.length || p.islands === 'keep') return
  throw new QuasiError('BAD_DATA', `${isl.length} unit${isl.length > 1 ? 's have' : ' has'} no neighbours${label ? ` in \`${label}\`` : ''}: ${listUnits(isl.map((i) => units[i]))}`, {
    param: [param], expected: 'every unit with at least one neighbour',
    hint: param === 'cutoff' ? 'widen `cutoff`, or set `islands: keep` (their rows stay zero)' : 'set `islands: keep` to keep them (their rows stay zero)',
  })
}

function fromData(ctx: StageContext<SpatialWeightsParams>) {
  const p = ctx.params
  const frame = sourceFrame(ctx)
  const idx = unitIndex(frame, unitColumn(ctx), p.unit !== undefined ? ['unit'] : ['from'])
  return { units: [...idx.units], ...buildFromData(p, frame, idx) }
}

function fromFile(ctx: StageContext<SpatialWeightsParams>) {
  const p = ctx.params
  const f = ctx.files.file
  const parsed = readWeightsFile(f.rel, f.bytes, p.format)
  let data: { units: readonly string[]; norm: (id: string) => string } | undefined
  if (p.from !== undefined) {
    const idx = unitIndex(sourceFrame(ctx), unitColumn(ctx), p.unit !== undefined ? ['unit'] : ['from'])
    data = { units: idx.units, norm: keyNormalizer(idx.numeric) }
  }
  const { units, matrix } = assembleFile(parsed, f.rel, data)
  return { units, matrix, description: `read from ${f.rel} (${parsed.format})`, islandParam: 'file' }
}

function sourceFrame(ctx: StageContext<SpatialWeightsParams>) {
  const p = ctx.params
  const frame = ctx.input(p.from!).frame
  if (!frame) throw new QuasiError('INVALID_VALUE', `stage \`${p.from}\` has no table`, { param: ['from'] })
  return frame
}

function unitColumn(ctx: StageContext<SpatialWeightsParams>): string {
  const u = ctx.params.unit ?? ctx.panel?.unit
  if (!u) throw new QuasiError('MISSING_PARAM', 'spatial weights need the unit column: give `unit:` or declare `panel: { unit, time }` in the pipeline', { param: ['from'] })
  return u
}

/** a·W1 + (1 − a)·W2 for each a of the grid, styled after mixing. */
function composite(ctx: StageContext<SpatialWeightsParams>): Weights {
  const p = ctx.params
  const [n1, n2] = p.weights!
  const read = (name: string, k: number) => {
    const w = ctx.input(name).artifact('weights')
    if (!w) throw new QuasiError('INVALID_VALUE', `stage \`${name}\` has no weights matrix`, { param: ['weights', k] })
    if (w.candidates.length !== 1) {
      throw new QuasiError('INVALID_VALUE', `stage \`${name}\` offers ${w.candidates.length} matrices; a composite mixes two single matrices`, { param: ['weights', k], expected: 'a spatial-weights stage with one matrix (not itself a composite grid)' })
    }
    return w
  }
  const w1 = read(n1, 0), w2 = read(n2, 1)
  const problem = unitMismatch(w1.units, w2.units, `\`${n1}\``, `\`${n2}\``)
  if (problem) throw new QuasiError('INVALID_VALUE', `the two matrices of a composite must be over the same units: ${problem}`, { param: ['weights'] })
  let m2 = w2.candidates[0].matrix
  if (w2.units.some((u, i) => u !== w1.units[i])) {
    // Same units in another order: bring W2 into W1's order.
    const at = new Map(w2.units.map((u, i) => [u, i]))
    m2 = permuteSparse(m2, w1.units.map((u) => at.get(u)!))
  }
  const m1 = w1.candidates[0].matrix
  const candidates: WeightsCandidate[] = gridValues(p.a!).map((a) => {
    const label = `a = ${a}`
    const mixed = mixSparse(a, m1, m2)
    checkIslands(p, w1.units, mixed, 'weights', label)
    return { label, a, matrix: styled(mixed, p.style) }
  })
  return {
    units: [...w1.units], style: p.style,
    description: `composite a·W1 + (1 − a)·W2, W1 = ${n1} (${w1.description}), W2 = ${n2} (${w2.description})`,
    candidates,
  }
}
