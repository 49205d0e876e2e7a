/**
 * The artifact kinds a stage can publish, in one keyed map: each with its serializer (the
 * bytes the cache stores and digests) and its reader. A new kind — a weights matrix, a set
 * of draws — is one entry here; the store, the run and `StageOutput.artifact()` take it
 * from this map.
 */
import { canonicalJson } from '../cache/canonical.ts'
import { Frame } from './frame.ts'
import type { Json } from './json.ts'
import { deserializeModels, isModelSet, serializeModels, type ModelSet } from './model.ts'
import { deserializeFrame, serializeFrame } from './serialize.ts'
import { deserializeWeights, isWeights, serializeWeights, type Weights } from './weights.ts'

export interface ArtifactKind<T> {
  /** What a stage of this kind offers, for messages ("a table", "fitted models"). */
  readonly noun: string
  readonly serialize: (value: T) => Uint8Array | string
  readonly deserialize: (bytes: Uint8Array) => T
  /** A structural check of what a stage returned (a wrong value is a bug in the stage). */
  readonly is: (value: unknown) => boolean
}

const utf8 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')

export const artifactKinds = {
  /** The stage's table, read downstream through `from:`. */
  frame: {
    noun: 'table',
    serialize: serializeFrame,
    deserialize: deserializeFrame,
    is: (v: unknown) => v instanceof Frame,
  } satisfies ArtifactKind<Frame>,
  /** Free-form structured results (kind-specific JSON). */
  data: {
    noun: 'structured results',
    serialize: (v: Json) => canonicalJson(v, { nonFinite: 'null' }),
    deserialize: (b: Uint8Array) => JSON.parse(utf8(b)) as Json,
    is: (v: unknown) => v !== undefined,
  } satisfies ArtifactKind<Json>,
  /** Fitted models (src/artifacts/model.ts), read by tables, plots and cross-model tests. */
  model: {
    noun: 'fitted model',
    serialize: serializeModels,
    deserialize: deserializeModels,
    is: isModelSet,
  } satisfies ArtifactKind<ModelSet>,
  /** Spatial weights (src/artifacts/weights.ts): one matrix, or one per value of a composite's mixing weight. */
  weights: {
    noun: 'spatial weights matrix',
    serialize: serializeWeights,
    deserialize: deserializeWeights,
    is: isWeights,
  } satisfies ArtifactKind<Weights>,
}

export type ArtifactName = keyof typeof artifactKinds
export type ArtifactValues = { [K in ArtifactName]: ReturnType<(typeof artifactKinds)[K]['deserialize']> }
export const artifactNames = Object.keys(artifactKinds).sort() as ArtifactName[]
