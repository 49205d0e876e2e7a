/**
 * A stage's output as the run holds it: loaded from the cache or just made. Artifacts are
 * deserialized only when a downstream stage asks for them, so an all-cached run reads and
 * verifies bytes but builds no tables.
 */
import type { Frame } from '../artifacts/frame.ts'
import { artifactKinds, type ArtifactName, type ArtifactValues } from '../artifacts/kinds.ts'
import { factsFromJson, type Manifest } from '../cache/store.ts'
import type { Json, StageOutput } from '../stage.ts'

export class Produced implements StageOutput {
  readonly stage: string
  readonly kind: string
  readonly manifest: Manifest
  /** Blob bytes by digest (verified), for downstream use and output files. */
  readonly blobs: ReadonlyMap<string, Uint8Array>
  readonly facts: Readonly<Record<string, number>>
  readonly #loaded = new Map<ArtifactName, unknown>()

  /** `made`: artifacts the stage just returned, so they need not be read back. */
  constructor(manifest: Manifest, blobs: ReadonlyMap<string, Uint8Array>, made: Partial<ArtifactValues> = {}) {
    this.stage = manifest.stage
    this.kind = manifest.kind
    this.manifest = manifest
    this.blobs = blobs
    this.facts = factsFromJson(manifest.facts)
    for (const [k, v] of Object.entries(made)) if (v !== undefined) this.#loaded.set(k as ArtifactName, v)
  }

  get key(): string {
    return this.manifest.key
  }

  /** Digest of what downstream stages read. */
  get output(): string {
    return this.manifest.output
  }

  artifact<K extends ArtifactName>(name: K): ArtifactValues[K] | undefined {
    if (this.#loaded.has(name)) return this.#loaded.get(name) as ArtifactValues[K]
    const ref = this.manifest.artifacts[name]
    if (!ref) return undefined
    const value = artifactKinds[name].deserialize(this.blob(ref.digest)) as ArtifactValues[K]
    this.#loaded.set(name, value)
    return value
  }

  get frame(): Frame | undefined {
    return this.artifact('frame')
  }

  get data(): Json | undefined {
    return this.artifact('data')
  }

  get files(): readonly string[] {
    return Object.keys(this.manifest.files).sort()
  }

  blob(digest: string): Uint8Array {
    const b = this.blobs.get(digest)
    if (!b) throw new Error(`Produced: blob ${digest} of stage ${this.stage} not loaded`)
    return b
  }
}
