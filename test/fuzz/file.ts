/**
 * Per test file: one sandbox, warmed up before the first property, a tally printed at the
 * end, and `property(name, …)`, a vitest test that runs one fuzz property.
 */
import { afterAll, beforeAll, test } from 'vitest'
import { checkProperty, LONG, Tally, testTimeout, TIMEOUT_MS, type PropertySpec } from './check.ts'
import type { Job } from './jobs.ts'
import { Sandbox } from './sandbox.ts'

export interface FuzzFile {
  readonly sandbox: Sandbox
  readonly tally: Tally
  /** A vitest test named `name` that checks the property on `numRuns` inputs of about `msPerCase` each. */
  property<T>(name: string, msPerCase: number, spec: Omit<PropertySpec<T>, 'name' | 'file'>): void
}

export function fuzzFile(file: string, label: string, warmUp: Job): FuzzFile {
  const sandbox = new Sandbox(TIMEOUT_MS)
  const tally = new Tally()
  // The first case loads the sources through tsx; it is not timed as a case.
  beforeAll(async () => {
    await sandbox.run(warmUp)
  }, 180_000)
  afterAll(async () => {
    await sandbox.close()
    if (LONG || process.env.QUASI_FUZZ_SUMMARY === '1' || process.env.QUASI_FUZZ_SURVEY === '1') {
      console.log(`fuzz ${label} (${sandbox.starts} worker start(s)):\n${tally.summary()}`)
    }
  })
  return {
    sandbox,
    tally,
    property(name, msPerCase, spec) {
      test(name, () => checkProperty(sandbox, tally, { ...spec, name, file }), testTimeout(spec.numRuns, msPerCase))
    },
  }
}
