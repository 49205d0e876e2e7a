/** The built-in functions by name. A Map, so names like `constructor` are simply unknown. */
import type { FnSpec } from '../spec.ts'
import { entropyFunction } from './entropy.ts'
import { groupFunctions } from './group.ts'
import { panelFunctions } from './panel.ts'
import { rowwise } from './rowwise.ts'

export const FUNCTIONS: ReadonlyMap<string, FnSpec> = new Map(
  [...rowwise, ...panelFunctions, ...groupFunctions, entropyFunction].map((f) => [f.name, f]),
)
