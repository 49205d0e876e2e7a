/**
 * The subsystems as the stage uses them: each an entropy-weighted set of indicators with
 * directions, or a given index column; every name with its place in `with:` for messages.
 */
import type { Direction } from '../../src/stats/entropy/weights.ts'
import type { CouplingParams } from './params.ts'

export type Param = readonly (string | number)[]

export interface Indicator {
  readonly column: string
  readonly direction: Direction
  readonly param: Param
}

export interface Subsystem {
  readonly name: string
  /** The frame column of its index, `u_<name>`. */
  readonly column: string
  readonly param: Param
  /** A given index column (in [0, 1]), used as it is. */
  readonly given?: { readonly column: string; readonly param: Param }
  /** Indicators combined by entropy weights. */
  readonly indicators: readonly Indicator[]
}

export function resolveSubsystems(p: CouplingParams): Subsystem[] {
  return Object.entries(p.subsystems).map(([name, spec]) => {
    const param = ['subsystems', name]
    const base = { name, column: `u_${name}`, param }
    if (typeof spec === 'string') return { ...base, given: { column: spec, param }, indicators: [] }
    if (Array.isArray(spec)) return { ...base, indicators: spec.map((column, i) => ({ column, direction: 'positive' as const, param: [...param, i] })) }
    const list = (direction: Direction) => (spec[direction] ?? []).map((column, i) => ({ column, direction, param: [...param, direction, i] }))
    return { ...base, indicators: [...list('positive'), ...list('negative')] }
  })
}

/** Every column a subsystem names, with its place. */
export function columnRefs(subs: readonly Subsystem[]): { name: string; param: Param }[] {
  return subs.flatMap((s) => (s.given ? [{ name: s.given.column, param: s.given.param }] : s.indicators.map((i) => ({ name: i.column, param: i.param }))))
}

/** α in the order of the subsystems (equal when not given); check() has made sure it fits. */
export function alphaOf(p: CouplingParams, subs: readonly Subsystem[]): number[] {
  const n = subs.length
  if (p.alpha === undefined) return subs.map(() => 1 / n)
  if (Array.isArray(p.alpha)) return p.alpha
  const map = p.alpha
  return subs.map((s) => map[s.name])
}
