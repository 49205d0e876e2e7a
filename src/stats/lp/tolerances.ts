/**
 * Tolerances of the dense simplex. They are absolute because callers scale their rows
 * to O(1) (the DEA layer divides every data row by the evaluated unit's own value), so
 * "1e-9 of a unit" means the same thing in every row.
 */
export const LP_TOL = {
  /** A basic variable may sit this far outside its bounds and still count as feasible. */
  primal: 1e-9,
  /** A reduced cost must be below −dual (at a lower bound) for a column to improve the objective. */
  dual: 1e-9,
  /** Smallest |α| accepted as a pivot in the ratio test; smaller entries are treated as zero. */
  pivot: 1e-9,
  /** Phase 1 ends infeasible when the sum of artificials stays above this. */
  infeasible: 1e-8,
  /** A pivot that lowers the objective by less than this counts as degenerate (anti-cycling switch to Bland's rule). */
  stall: 1e-11,
  /** Ratios within this (relative) distance tie in Bland's ratio test, which then takes the smallest index. */
  blandTie: 1e-12,
  /** Smallest pivot accepted when the basis inverse is recomputed from scratch. */
  singular: 1e-11,
} as const

/** Pivots between two fresh inversions of the basis (explicit inverse, product updates in between). */
export const REFACTOR_EVERY = 40

/** Consecutive degenerate pivots after which pricing switches to Bland's rule until progress resumes. */
export const BLAND_AFTER = 30
