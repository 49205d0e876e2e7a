/** Helpers for the expression tests: compile + evaluate in one call, and a close-to check. */
import { expect } from 'vitest'
import { Frame } from '../../../src/artifacts/frame.ts'
import { QuasiError } from '../../../src/errors.ts'
import { compileExpression, evaluate, schemaOf } from '../../../src/expr/index.ts'
import type { Evaluation } from '../../../src/expr/index.ts'

export type Panel = { unit: string; time: string }

export function run(source: string, frame: Frame, panel?: Panel): Evaluation {
  const { expr } = compileExpression(source, schemaOf(frame, panel))
  return evaluate(expr, frame, { source, ...(panel ? { panel } : {}) })
}

/** The result as a plain array, missing as null. */
export function values(source: string, frame: Frame, panel?: Panel): (number | string | null)[] {
  const c = run(source, frame, panel).column
  return Array.from(c.data as ArrayLike<number | string | null>, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v))
}

/** The QuasiError that compiling (or evaluating) `source` throws. */
export function failure(source: string, frame: Frame, panel?: Panel): QuasiError {
  try {
    run(source, frame, panel)
  } catch (err) {
    if (err instanceof QuasiError) return err
    throw err
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`)
}

/** |got − want| <= abs + rel·|want| elementwise, with a message naming the place. */
export function expectClose(
  got: ArrayLike<number | null>,
  want: ArrayLike<number | null>,
  tol: { rel?: number; abs?: number; label: string },
): void {
  expect(got.length, `${tol.label}: length`).toBe(want.length)
  for (let i = 0; i < want.length; i++) {
    const g = got[i]
    const w = want[i]
    if (w === null || Number.isNaN(w)) {
      expect(g === null || Number.isNaN(g), `${tol.label}[${i}]: got ${g}, expected missing`).toBe(true)
      continue
    }
    const bound = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(w)
    const d = Math.abs((g ?? NaN) - w)
    expect(d <= bound, `${tol.label}[${i}]: got ${g}, expected ${w}, Δ ${d}, tol ${bound}`).toBe(true)
  }
}

export { Frame }
