// Starts a kernel's worker from the TypeScript sources (vitest, tsx): registers tsx's module
// loader in this worker thread, then imports the worker.ts that ./chunks.ts names. The
// compiled package starts worker.js directly and never loads this file (see ./dea/executor.ts
// for why it exists).
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
