/** The fuzz harness itself: each kind of broken invariant is seen as what it is. */
import { afterAll, describe, expect, test } from 'vitest'
import { Sandbox } from './sandbox.ts'

const sandbox = new Sandbox(1_500)
afterAll(() => sandbox.close())
const run = (behave: 'value' | 'user-error' | 'internal' | 'throw' | 'loop' | 'exit') => sandbox.run({ target: 'selftest', behave })

describe('the fuzz sandbox', () => {
  test('a value and coded user errors keep the invariant', async () => {
    expect(await run('value')).toMatchObject({ verdict: 'value', detail: 'ok' })
    expect(await run('user-error')).toMatchObject({ verdict: 'user-error', detail: 'BAD_DATA,MISSING_FILE' })
  }, 180_000)

  test('INTERNAL, an uncoded exception, a hang and a dead worker break it; the sandbox restarts after each', async () => {
    expect(await run('internal')).toMatchObject({ verdict: 'internal', detail: 'INTERNAL: a bug' })
    expect(await run('throw')).toMatchObject({ verdict: 'uncoded', detail: 'TypeError: x is not a function' })
    const hang = await run('loop')
    expect(hang.verdict).toBe('hang')
    expect(hang.ms).toBeGreaterThanOrEqual(1_500)
    expect(await run('exit')).toMatchObject({ verdict: 'crash', detail: 'the worker exited with code 3' })
    expect(await run('value')).toMatchObject({ verdict: 'value' })
    expect(sandbox.starts).toBe(3)
  }, 180_000)
})
