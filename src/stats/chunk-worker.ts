/**
 * The worker side of ./chunks.ts: a kernel's worker.ts builds its computer from what the
 * worker started with (`init`), then answers each chunk request with the result and the
 * buffers to transfer.
 */
import { parentPort, workerData } from 'node:worker_threads'

export function serveChunks<I, R>(setup: (init: I) => (from: number, to: number) => { result: R; transfer: ArrayBuffer[] }): void {
  const compute = setup((workerData as { init: I }).init)
  parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
    try {
      const { result, transfer } = compute(from, to)
      parentPort!.postMessage({ ok: true, result }, transfer)
    } catch (err) {
      parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) })
    }
  })
}
