/**
 * Garbage collection: keep the cache entries that some pipeline's last run used
 * (`.quasi/state/*.json`), the blobs those entries name, and nothing else; remove
 * temporary files left by interrupted writes. Skips pipelines whose lock is held.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { TMP_SUFFIX } from './atomic.ts'
import type { Manifest } from './store.ts'

export interface GcResult {
  manifests: number
  blobs: number
  temp: number
  bytes: number
}

export async function collectGarbage(quasiDir: string): Promise<GcResult> {
  const res: GcResult = { manifests: 0, blobs: 0, temp: 0, bytes: 0 }
  const keep = new Set<string>()
  for (const f of await list(join(quasiDir, 'state'))) {
    if (!f.endsWith('.json')) continue
    try {
      const s = JSON.parse(await readFile(join(quasiDir, 'state', f), 'utf8')) as { stages?: Record<string, { key: string }> }
      for (const st of Object.values(s.stages ?? {})) keep.add(st.key)
    } catch {
      // an unreadable state file protects nothing
    }
  }
  const stagesDir = join(quasiDir, 'cache', 'stages')
  const liveBlobs = new Set<string>()
  for (const f of await list(stagesDir)) {
    const p = join(stagesDir, f)
    if (f.endsWith(TMP_SUFFIX)) {
      res.bytes += await size(p)
      await rm(p, { force: true })
      res.temp++
      continue
    }
    const key = f.replace(/\.json$/, '')
    if (keep.has(key)) {
      try {
        const m = JSON.parse(await readFile(p, 'utf8')) as Manifest
        for (const r of [...Object.values(m.artifacts ?? {}), ...Object.values(m.files ?? {})]) if (r) liveBlobs.add(r.digest)
        continue
      } catch {
        // corrupt: remove below
      }
    }
    res.bytes += await size(p)
    await rm(p, { force: true })
    res.manifests++
  }
  const blobsDir = join(quasiDir, 'cache', 'blobs')
  for (const sub of await list(blobsDir)) {
    for (const f of await list(join(blobsDir, sub))) {
      const p = join(blobsDir, sub, f)
      const tmp = f.endsWith(TMP_SUFFIX)
      if (!tmp && liveBlobs.has(f)) continue
      res.bytes += await size(p)
      await rm(p, { force: true })
      if (tmp) res.temp++
      else res.blobs++
    }
  }
  return res
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch {
    return []
  }
}

async function size(p: string): Promise<number> {
  try {
    return (await stat(p)).size
  } catch {
    return 0
  }
}
