/**
 * What the spatial kernels report about their input, as data: the stage layer maps each
 * reason to its parameter (`lat`/`lon`, `k`, `column`) and words the message.
 */
export type SpatialProblem =
  /** Two units at the same point: their distance is 0 and 1/d is undefined. */
  | { readonly reason: 'coincident'; readonly pairs: readonly (readonly [number, number])[] }
  /** Two units with the same mean of the economic column: 1/|ȳi − ȳj| is undefined. */
  | { readonly reason: 'equal-values'; readonly pairs: readonly (readonly [number, number])[] }
  /** k nearest neighbours asked for k ≥ N. */
  | { readonly reason: 'k-too-large'; readonly k: number; readonly n: number }
  /** A coordinate or value that is missing or out of range, by unit index. */
  | { readonly reason: 'bad-coordinate'; readonly role: 'lat' | 'lon'; readonly unit: number; readonly value: number }

export class SpatialInputError extends Error {
  readonly problem: SpatialProblem
  constructor(problem: SpatialProblem) {
    super(`spatial kernel: ${problem.reason}`)
    this.problem = problem
  }
}

/** At most this many pairs are collected for a message. */
export const MAX_PAIRS = 5
