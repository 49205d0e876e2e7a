/**
 * One stage: derive its key from its inputs, take it from the cache when a verified entry
 * exists, otherwise run it and store what it made (blobs first, manifest last).
 */
import { readFile } from 'node:fs/promises'
import { artifactKinds, artifactNames, type ArtifactValues } from '../artifacts/kinds.ts'
import { sha256 } from '../cache/canonical.ts'
import { CACHE_FORMAT, derivedSeed, stageKey, type KeyMaterial } from '../cache/key.ts'
import { finiteFacts, outputDigest, type BlobRef, type CacheStore, type Manifest } from '../cache/store.ts'
import { QuasiError, exitStatus } from '../errors.ts'
import type { PlannedStage, Plan } from '../pipeline/plan.ts'
import type { InputFile, StageContext, StageResult, ThreadPool } from '../stage.ts'
import { stageRng } from '../stats/rng.ts'
import { Produced } from './produced.ts'

export interface Keyed {
  readonly material: KeyMaterial
  readonly key: string
  /** File contents read for the key, passed on to the stage so it never reads twice. */
  readonly files: Readonly<Record<string, InputFile>>
}

/** Key material from upstream output digests and file contents. */
export async function keyStage(plan: Plan, stage: PlannedStage, upstream: (name: string) => string): Promise<Keyed> {
  const inputs: Record<string, string> = {}
  for (const ref of stage.refs) inputs[`stage:${ref}`] = upstream(ref)
  const files: Record<string, InputFile> = {}
  for (const [param, f] of Object.entries(stage.files)) {
    let bytes: Buffer
    try {
      bytes = await readFile(f.abs)
    } catch (e) {
      throw new QuasiError('MISSING_FILE', `cannot read \`${f.rel}\` (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
        param: [param],
        hint: 'paths are relative to the folder of the pipeline file',
      })
    }
    inputs[`file:${param}`] = sha256(bytes)
    files[param] = { rel: f.rel, path: f.abs, bytes }
  }
  const material: KeyMaterial = {
    format: CACHE_FORMAT,
    kind: stage.kind,
    version: stage.def.version,
    params: stage.params,
    inputs,
    seed: stage.def.random ? derivedSeed(plan.seed, stage.name) : null,
  }
  return { material, key: stageKey(material), files }
}

/** A verified cache entry for `key`, or undefined (a corrupt one is dropped with a warning). */
export async function fromCache(store: CacheStore, key: string): Promise<Produced | undefined> {
  const m = await store.getManifest(key)
  if (!m) return undefined
  const refs = [...Object.values(m.artifacts), ...Object.values(m.files)].filter((r): r is BlobRef => r !== undefined)
  const blobs = new Map<string, Uint8Array>()
  for (const r of refs) {
    if (blobs.has(r.digest)) continue
    const bytes = await store.getBlob(r)
    if (!bytes) {
      await store.dropManifest(key)
      return undefined
    }
    blobs.set(r.digest, bytes)
  }
  return new Produced(m, blobs)
}

export interface ExecHooks {
  readonly input: (name: string) => Produced
  readonly signal: AbortSignal
  readonly jobs: number
  readonly threads: ThreadPool
  readonly log: (level: 'info' | 'warn', message: string) => void
  readonly progress: (done: number, total: number) => void
  /** The result was computed but could not be stored in the cache (it is still used and written to outputs/). */
  readonly uncached: (error: QuasiError) => void
}

/** Run the stage and store its result under `keyed.key` (when the cache can take it). */
export async function runAndStore(plan: Plan, stage: PlannedStage, keyed: Keyed, store: CacheStore, hooks: ExecHooks): Promise<Produced> {
  const log: Manifest['log'][number][] = []
  const ctx: StageContext = {
    stage: stage.name,
    kind: stage.kind,
    params: stage.params,
    panel: plan.panel,
    input: (name) => {
      if (!stage.refs.includes(name)) throw new Error(`stage ${stage.name} read \`${name}\`, which is not among its references`)
      return hooks.input(name)
    },
    files: keyed.files,
    rng: stageRng(plan.seed, stage.name),
    log: {
      info: (message) => {
        log.push({ level: 'info', message })
        hooks.log('info', message)
      },
      warn: (message) => {
        log.push({ level: 'warn', message })
        hooks.log('warn', message)
      },
    },
    progress: hooks.progress,
    signal: hooks.signal,
    jobs: hooks.jobs,
    threads: hooks.threads,
  }
  const result: StageResult = await stage.def.run(ctx)
  checkResult(stage, result)

  // Everything is held in memory first, so a result the cache cannot take is not lost.
  const blobs = new Map<string, Uint8Array>()
  const put = (bytes: Uint8Array | string): BlobRef => {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
    const ref = { digest: sha256(buf), size: buf.byteLength }
    blobs.set(ref.digest, buf)
    return ref
  }
  const artifacts: Record<string, BlobRef> = {}
  const made: Partial<Record<keyof ArtifactValues, unknown>> = {}
  for (const name of artifactNames) {
    const value = result[name]
    if (value === undefined) continue
    artifacts[name] = put((artifactKinds[name].serialize as (v: unknown) => Uint8Array | string)(value))
    made[name] = value
  }
  const files: Record<string, BlobRef> = {}
  for (const name of Object.keys(result.files ?? {}).sort()) files[name] = put(result.files![name])
  const facts = finiteFacts(result.facts ?? {})
  const manifest: Manifest = {
    format: CACHE_FORMAT,
    key: keyed.key,
    stage: stage.name,
    kind: stage.kind,
    version: stage.def.version,
    output: outputDigest(artifacts, result.facts ?? {}),
    artifacts,
    facts,
    files,
    log,
  }
  try {
    // Blobs before the manifest that names them (store.ts).
    for (const [digest, bytes] of blobs) await store.putBlob(bytes, digest)
    await store.putManifest(manifest)
  } catch (e) {
    // The machine refused (permissions, a full disk): the result stands, uncached.
    if (!(e instanceof QuasiError) || exitStatus[e.code] !== 4) throw e
    hooks.uncached(e)
  }
  // `data` is read back from its bytes, so downstream stages see exactly what a cache hit gives (no NaN, no undefined).
  delete made.data
  return new Produced(manifest, blobs, made as Partial<ArtifactValues>)
}

function checkResult(stage: PlannedStage, r: StageResult): void {
  const bad = (what: string) => new QuasiError('INTERNAL', `stage kind \`${stage.kind}\` returned ${what}`)
  if (r === null || typeof r !== 'object') throw bad('no result object')
  for (const name of artifactNames) {
    const v = r[name]
    if (v === undefined) continue
    if (!stage.def.produces?.includes(name)) throw bad(`a \`${name}\` artifact it does not declare in \`produces\``)
    if (!artifactKinds[name].is(v)) throw bad(`a \`${name}\` that is not a valid ${artifactKinds[name].noun}`)
  }
  for (const k of Object.keys(r)) {
    if (!(artifactNames as string[]).includes(k) && k !== 'files' && k !== 'facts') throw bad(`an unknown member \`${k}\``)
  }
  for (const [name, v] of Object.entries(r.files ?? {})) {
    if (typeof v !== 'string' && !(v instanceof Uint8Array)) throw bad(`file \`${name}\` that is neither text nor bytes`)
    if (name.includes('..') || name.startsWith('/') || name.includes('\\')) throw bad(`file name \`${name}\` outside its folder`)
  }
  for (const [k, v] of Object.entries(r.facts ?? {})) if (typeof v !== 'number') throw bad(`fact \`${k}\` that is not a number`)
}
