import { defineConfig } from 'vitest/config'

/**
 * `npm run test:slurm`: the suite that submits real jobs to a SLURM cluster (test/slurm/start.sh
 * starts a single-node one). One file at a time: the jobs share the node's CPUs, and the
 * global setup builds dist/ once, before any job runs it.
 */
export default defineConfig({
  test: {
    include: ['test/slurm/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
})
