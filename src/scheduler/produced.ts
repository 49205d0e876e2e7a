/**
 * A stage's output as the run holds it: loaded from the cache or just made. The frame is
 * deserialized only when a downstream stage asks for it, so an all-cached run reads and
 * verifies bytes but builds no tables.
 */
import type { Frame } from '../artifacts/frame.ts'
import { deserializeFrame } from '../artifacts/serialize.ts'
import { factsFromJson, type Manifest } from '../cache/store.ts'
import type { Json, StageOutput } from '../stage.ts'

export class Produced implements StageOutput {
  readonly stage: string
  readonly kind: string
  readonly manifest: Manifest
  /** Blob bytes by digest (verified), for downstream use and output files. */
  readonly blobs: ReadonlyMap<string, Uint8Array>
  readonly facts: Readonly<Record<string, number>>
  #frame: Frame | undefined
  #data: Json | undefined
  #dataLoaded = false

  constructor(manifest: Manifest, blobs: ReadonlyMap<string, Uint8Array>, frame?: Frame, data?: Json) {
    this.stage = manifest.stage
    this.kind = manifest.kind
    this.manifest = manifest
    this.blobs = blobs
    this.facts = factsFromJson(manifest.facts)
    this.#frame = frame
    if (data !== undefined) {
      this.#data = data
      this.#dataLoaded = true
    }
  }

  get key(): string {
    return this.manifest.key
  }

  /** Digest of what downstream stages read. */
  get output(): string {
    return this.manifest.output
  }

  get frame(): Frame | undefined {
    if (this.#frame === undefined && this.manifest.frame) {
      this.#frame = deserializeFrame(this.blob(this.manifest.frame.digest))
    }
    return this.#frame
  }

  get data(): Json | undefined {
    if (!this.#dataLoaded && this.manifest.data) {
      this.#data = JSON.parse(Buffer.from(this.blob(this.manifest.data.digest)).toString('utf8')) as Json
      this.#dataLoaded = true
    }
    return this.#data
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
