/** A placebo worker thread: fits the draw ranges it is sent against the design it started with (./draws.ts). */
import { parentPort, workerData } from 'node:worker_threads'
import type { PanelPaths } from './assign.ts'
import { computeDraws, type DrawColumns, type DrawJob } from './draws.ts'
import { FwlFitter, type FwlDesign } from './fwl.ts'

const { design, paths, job } = workerData as { design: FwlDesign; paths: PanelPaths; job: DrawJob }
const fitter = new FwlFitter(design)

parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  try {
    const n = to - from
    const cols: DrawColumns = { estimate: new Float64Array(n), se: new Float64Array(n), t: new Float64Array(n), p: new Float64Array(n) }
    computeDraws(fitter, paths, job, from, to, cols, from)
    parentPort!.postMessage({ ok: true, cols }, [cols.estimate, cols.se, cols.t, cols.p].map((c) => c.buffer as ArrayBuffer))
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) })
  }
})
