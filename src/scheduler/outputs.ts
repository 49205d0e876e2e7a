/**
 * The human-facing side of a run: `outputs/<pipeline>/<stage>/` receives each stage's
 * files (tables, figures), `data.csv` when `save:` asks for it, and `log.txt`; every write
 * is atomic and skipped when the bytes on disk are already right, and files a stage no
 * longer makes are removed from its folder.
 */
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeCsv } from '../artifacts/csv.ts'
import { writeFileAtomic } from '../cache/atomic.ts'
import { QuasiError } from '../errors.ts'
import { escapeControls } from '../escape.ts'
import type { PlannedStage } from '../pipeline/plan.ts'
import type { Produced } from './produced.ts'

export async function materialize(dir: string, stage: PlannedStage, p: Produced): Promise<string[]> {
  const want = new Map<string, Uint8Array | string>()
  for (const [name, ref] of Object.entries(p.manifest.files)) want.set(name, p.blob(ref.digest))
  if (stage.save !== false && p.frame) {
    const cols = stage.save === true ? undefined : stage.save
    const missing = cols?.filter((c) => !p.frame!.has(c)) ?? []
    if (missing.length > 0) {
      throw new QuasiError('MISSING_COLUMN', `\`save\` names column${missing.length > 1 ? 's' : ''} ${missing.map((c) => '`' + c + '`').join(', ')} that the stage's frame does not have`, {
        param: ['save'],
        expected: `columns of the frame: ${p.frame.names.slice(0, 15).join(', ')}${p.frame.ncols > 15 ? ', …' : ''}`,
      })
    }
    want.set('data.csv', writeCsv(p.frame, { columns: cols }))
  }
  if (p.manifest.log.length > 0) {
    // One line per entry; messages quote column names and cells, so controls in them are escaped.
    want.set('log.txt', p.manifest.log.map((l) => `${l.level === 'warn' ? 'warning: ' : ''}${escapeControls(l.message)}\n`).join(''))
  }
  for (const [name, bytes] of want) await writeIfChanged(join(dir, name), bytes)
  await removeOthers(dir, new Set(want.keys()))
  return [...want.keys()].sort()
}

export async function writeIfChanged(path: string, data: Uint8Array | string): Promise<boolean> {
  const next = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  try {
    const cur = await readFile(path)
    if (cur.equals(next)) return false
  } catch {
    // absent: write it
  }
  await writeFileAtomic(path, next)
  return true
}

async function removeOthers(dir: string, keep: Set<string>): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir, { recursive: true })
  } catch {
    return
  }
  for (const n of names) {
    const rel = n.split('\\').join('/')
    if (!keep.has(rel) && ![...keep].some((k) => k.startsWith(rel + '/'))) await rm(join(dir, n), { force: true, recursive: false }).catch(() => undefined)
  }
}
