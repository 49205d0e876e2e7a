/** Shared by the reader tests: fixture access and exact comparisons. */
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { QuasiError } from '../../../../src/errors.ts'
import type { Frame } from '../../../../src/artifacts/frame.ts'

const DIR = new URL('../../../fixtures/read/', import.meta.url)

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, DIR)))
}

/** expected.json (made by make.py with pandas/openpyxl) and reference-r.json (R haven/readxl). */
export const expected = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8'))
export const referenceR = JSON.parse(readFileSync(new URL('reference-r.json', DIR), 'utf8'))

/**
 * Bit-for-bit equality of doubles (Object.is: NaN equals NaN, -0 differs from 0). The readers
 * promise exact values, so there is no tolerance; `null` in a fixture means missing.
 */
export function expectColumn(frame: Frame, name: string, want: readonly (number | string | null)[]): void {
  const col = frame.column(name)
  expect(col, `column ${name}`).toBeDefined()
  const got = Array.from(col!.data as ArrayLike<number | string | null>)
  expect(got.length, `rows of ${name}`).toBe(want.length)
  got.forEach((g, i) => {
    const w = want[i]
    const norm = typeof g === 'number' && Number.isNaN(g) ? null : g
    if (!Object.is(norm, w)) {
      throw new Error(`${name}[${i}]: got ${describe(norm)}, expected ${describe(w)}`)
    }
  })
}

function describe(v: unknown): string {
  return typeof v === 'number' ? `${Object.is(v, -0) ? '-0' : String(v)} (number)` : JSON.stringify(v)
}

/** Await a read that must fail with a user error of `code` whose message holds every fragment. */
export async function expectUserError(p: Promise<unknown>, code: string, fragments: readonly string[] = []): Promise<QuasiError> {
  let err: unknown
  try {
    await p
  } catch (e) {
    err = e
  }
  expect(err, 'the read should have failed').toBeInstanceOf(QuasiError)
  const q = err as QuasiError
  expect(q.code).toBe(code)
  for (const f of fragments) expect(q.message).toContain(f)
  return q
}
