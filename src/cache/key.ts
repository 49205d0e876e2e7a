/**
 * Stage keys. Key = SHA-256 of the canonical JSON of the key material: kind, stage
 * version, parameters with defaults applied, the digests of its inputs (upstream outputs
 * and file contents, never timestamps or paths), and the derived seed for stages that draw
 * random numbers. Nothing machine-specific enters a key.
 */
import { canonicalJson, sha256 } from './canonical.ts'

/** Bumped when the cache layout or the key material changes shape. */
export const CACHE_FORMAT = 2

export interface KeyMaterial {
  readonly format: number
  readonly kind: string
  readonly version: number
  readonly params: Readonly<Record<string, unknown>>
  /** `stage:<name>` → output digest; `file:<param>` → content digest. */
  readonly inputs: Readonly<Record<string, string>>
  /** The derived seed, or null for stages that use no randomness. */
  readonly seed: string | null
}

export function stageKey(m: KeyMaterial): string {
  return sha256(canonicalJson(m))
}

/** The derived seed of a stage: H(pipeline seed, stage name), as `stageRng` uses it. */
export function derivedSeed(seed: number, stage: string): string {
  return sha256(canonicalJson(['quasi', seed, stage])).slice(0, 16)
}
