/**
 * Worker thread of the DEA executor: holds the data and reference sets it was started
 * with, solves the chunks it is sent, and returns each result with its buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ChunkSolver, type PassSpec } from './chunk.ts'
import type { WorkerInit, WorkerReply, WorkerRequest } from './executor.ts'

const init = workerData as WorkerInit
const solver = new ChunkSolver(init.data, init.sets)
const port = parentPort
if (!port) throw new Error('dea/worker.ts must run in a worker thread')

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply
  try {
    const seeds: (Int32Array | undefined)[] = []
    if (req.seed) seeds[req.chunk.group] = req.seed
    const pass: PassSpec = { spec: req.spec, reduced: req.reduced, excludeSelf: req.excludeSelf, seeds }
    const result = solver.solve(pass, req.chunk)
    reply = { ok: true, result }
    port.postMessage(reply, [
      result.score.buffer,
      result.status.buffer,
      result.slacks.buffer,
      result.unique.buffer,
      result.peerStart.buffer,
      result.peerIdx.buffer,
      result.peerLambda.buffer,
    ] as ArrayBuffer[])
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }
    port.postMessage(reply)
  }
})
