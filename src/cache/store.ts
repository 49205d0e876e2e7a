/**
 * The content-addressed store under `.quasi/cache/`: blobs by SHA-256 digest
 * (`blobs/ab/abcdef…`) and one manifest per stage key (`stages/<key>.json`). Blobs are
 * written before the manifest that names them, both atomically, so a manifest on disk
 * implies complete blobs unless someone edited them; a blob whose bytes no longer match
 * its digest, or a manifest that does not parse, is a miss (with a warning), never a crash.
 */
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { canonicalJson, sha256 } from './canonical.ts'
import { writeFileAtomic } from './atomic.ts'
import { CACHE_FORMAT } from './key.ts'

export interface BlobRef {
  readonly digest: string
  readonly size: number
}

export interface Manifest {
  readonly format: number
  readonly key: string
  readonly stage: string
  readonly kind: string
  readonly version: number
  /** Digest of what downstream stages read (frame, data, facts): part of their keys. */
  readonly output: string
  /** Published artifacts by kind (`frame`, `model`, `data`, …; src/artifacts/kinds.ts). */
  readonly artifacts: Readonly<Record<string, BlobRef>>
  /** Facts, with non-finite values as strings ("NaN", "Infinity") to keep JSON canonical. */
  readonly facts: Readonly<Record<string, number | string>>
  readonly files: Readonly<Record<string, BlobRef>>
  readonly log: readonly { level: 'info' | 'warn'; message: string }[]
}

export type Warn = (message: string) => void

export class CacheStore {
  readonly dir: string
  readonly #warn: Warn

  constructor(dir: string, warn: Warn) {
    this.dir = dir
    this.#warn = warn
  }

  blobPath(digest: string): string {
    return join(this.dir, 'blobs', digest.slice(0, 2), digest)
  }

  manifestPath(key: string): string {
    return join(this.dir, 'stages', `${key}.json`)
  }

  /** Store `bytes` under their digest (`digest`, when the caller has just computed it). */
  async putBlob(bytes: Uint8Array | string, digest?: string): Promise<BlobRef> {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    digest ??= sha256(buf)
    const p = this.blobPath(digest)
    // Content addressing lets an existing blob stand, but only if its bytes are still right:
    // a damaged file under the right name must be replaced, not trusted.
    const cur = await readFile(p).catch(() => undefined)
    if (!cur || !cur.equals(buf)) await writeFileAtomic(p, buf)
    return { digest, size: buf.byteLength }
  }

  /** The blob's bytes, verified against its digest; undefined (and removed) when corrupt or absent. */
  async getBlob(ref: BlobRef): Promise<Uint8Array | undefined> {
    const p = this.blobPath(ref.digest)
    let bytes: Buffer
    try {
      bytes = await readFile(p)
    } catch {
      return undefined
    }
    if (bytes.byteLength !== ref.size || sha256(bytes) !== ref.digest) {
      this.#warn(`corrupt cache blob ${ref.digest.slice(0, 12)}… (content does not match its digest); recomputing`)
      await rm(p, { force: true })
      return undefined
    }
    return bytes
  }

  hasManifest(key: string): boolean {
    return existsSync(this.manifestPath(key))
  }

  async getManifest(key: string): Promise<Manifest | undefined> {
    const p = this.manifestPath(key)
    let text: string
    try {
      text = await readFile(p, 'utf8')
    } catch {
      return undefined
    }
    try {
      const m = JSON.parse(text) as Manifest
      if (m.format !== CACHE_FORMAT || m.key !== key || typeof m.output !== 'string' || typeof m.files !== 'object' || typeof m.artifacts !== 'object') {
        throw new Error('unexpected shape')
      }
      return m
    } catch {
      this.#warn(`corrupt cache manifest for key ${key.slice(0, 12)}…; recomputing`)
      await rm(p, { force: true })
      return undefined
    }
  }

  async putManifest(m: Manifest): Promise<void> {
    await writeFileAtomic(this.manifestPath(m.key), canonicalJson(m) + '\n')
  }

  /** Drop a manifest whose blobs turned out corrupt, so the stage recomputes. */
  async dropManifest(key: string): Promise<void> {
    await rm(this.manifestPath(key), { force: true })
  }
}

/** Digest of a stage's output as downstream stages see it. */
export function outputDigest(artifacts: Readonly<Record<string, BlobRef>>, facts: Readonly<Record<string, number>>): string {
  const digests = Object.fromEntries(Object.entries(artifacts).map(([k, r]) => [k, r.digest]))
  return sha256(canonicalJson({ artifacts: digests, facts: finiteFacts(facts) }))
}

/** Facts as JSON: non-finite values are kept as strings so that keys stay canonical. */
export function finiteFacts(facts: Readonly<Record<string, number>>): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  for (const [k, v] of Object.entries(facts)) out[k] = Number.isFinite(v) ? v : String(v)
  return out
}

export function factsFromJson(facts: Readonly<Record<string, number | string>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(facts)) out[k] = Number(v)
  return out
}
