/** A placebo worker thread: fits the draw ranges it is sent against the design it started with (./draws.ts). */
import { serveChunks } from '../chunk-worker.ts'
import type { PanelPaths } from './assign.ts'
import { computeDraws, type DrawColumns, type DrawJob } from './draws.ts'
import { FwlFitter, type FwlDesign } from './fwl.ts'

serveChunks(({ design, paths, job }: { design: FwlDesign; paths: PanelPaths; job: DrawJob }) => {
  const fitter = new FwlFitter(design)
  return (from, to) => {
    const n = to - from
    const cols: DrawColumns = { estimate: new Float64Array(n), se: new Float64Array(n), t: new Float64Array(n), p: new Float64Array(n) }
    computeDraws(fitter, paths, job, from, to, cols, from)
    return { result: cols, transfer: [cols.estimate, cols.se, cols.t, cols.p].map((c) => c.buffer as ArrayBuffer) }
  }
})
