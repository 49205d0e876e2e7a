import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The SLURM suite needs a running cluster: `npm run test:slurm` (vitest.slurm.config.ts).
    exclude: ['**/node_modules/**', 'test/slurm/**'],
    globalSetup: ['test/global-setup.ts'],
    // Two cores: keep heavy files from fighting over them.
    maxWorkers: 2,
    // End-to-end tests start the built CLI on whole pipelines; on a busy 2-core machine they need room.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
})
