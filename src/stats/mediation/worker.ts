/** A mediation bootstrap worker thread: solves the draw ranges it is sent against the design it started with (./bootstrap.ts). */
import { serveChunks } from '../chunk-worker.ts'
import { computeBoot, emptyCoefficients, type BootJob } from './bootstrap.ts'
import { BootSolver, type BootDesign } from './design.ts'

serveChunks(({ design, job }: { design: BootDesign; job: BootJob }) => {
  const solver = new BootSolver(design)
  return (from, to) => {
    const out = emptyCoefficients((to - from) * design.mediators)
    computeBoot(solver, design, job, from, to, out, from)
    return { result: out, transfer: [out.a, out.b, out.c, out.direct].map((x) => x.buffer as ArrayBuffer) }
  }
})
