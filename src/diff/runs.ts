/**
 * Compare two runs' output folders: `outputs/` (every pipeline) or `outputs/<pipeline>/`.
 * Files are matched by their path inside the folder. CSV files are compared cell by cell
 * (tables.ts); other files (md, tex, html, svg, log.txt) are renderings of the same numbers
 * and are only checked for presence. Each run.json gives each stage's status and, where the
 * run recorded them, its expectations (`expectations: [{ expression, result, left, right, tol? }]`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { diffTables, tableDiffers, within, type TableDiff, type Tolerance } from './tables.ts'

export interface ExpectationResult {
  readonly expr: string
  readonly held: boolean
  readonly left: number
  readonly right: number
}

/** An expectation as run.json records it (src/scheduler/record.ts). */
interface RecordedExpectation {
  readonly expression: string
  readonly result: 'held' | 'failed'
  readonly left: number
  readonly right: number
}

const asResult = (e: RecordedExpectation): ExpectationResult => ({ expr: e.expression, held: e.result === 'held', left: e.left, right: e.right })

export interface ExpectationChange {
  readonly file: string
  readonly stage: string
  readonly expr: string
  readonly a?: ExpectationResult
  readonly b?: ExpectationResult
}

export interface StatusChange {
  readonly file: string
  readonly stage: string
  readonly a?: string
  readonly b?: string
}

export interface RunDiff {
  readonly filesOnlyA: readonly string[]
  readonly filesOnlyB: readonly string[]
  /** Only the CSV files that differ. */
  readonly tables: readonly { readonly file: string; readonly diff: TableDiff }[]
  readonly stages: readonly StatusChange[]
  readonly expectations: readonly ExpectationChange[]
  /** CSV files compared, for the summary line. */
  readonly compared: number
  readonly same: boolean
}

/** Files under `dir`, as `/`-separated relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'))
    }
  }
  walk(dir)
  return out.sort()
}

interface RunJson {
  stages?: { stage: string; status: string; expectations?: RecordedExpectation[] }[]
}

function readRunJson(path: string): RunJson {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunJson
  } catch {
    return {}
  }
}

export function diffRuns(dirA: string, dirB: string, tol: Tolerance): RunDiff {
  for (const d of [dirA, dirB]) statSync(d) // a missing folder is the caller's to report
  const fa = listFiles(dirA)
  const fb = listFiles(dirB)
  const setB = new Set(fb)
  const setA = new Set(fa)
  const tables: { file: string; diff: TableDiff }[] = []
  const stages: StatusChange[] = []
  const expectations: ExpectationChange[] = []
  let compared = 0
  for (const f of fa) {
    if (!setB.has(f)) continue
    if (f.endsWith('.csv')) {
      compared++
      const diff = diffTables(basename(f), readFileSync(join(dirA, f), 'utf8'), readFileSync(join(dirB, f), 'utf8'), tol)
      if (tableDiffers(diff)) tables.push({ file: f, diff })
    } else if (basename(f) === 'run.json') {
      compareRecords(f, readRunJson(join(dirA, f)), readRunJson(join(dirB, f)), tol, stages, expectations)
    }
  }
  const filesOnlyA = fa.filter((f) => !setB.has(f))
  const filesOnlyB = fb.filter((f) => !setA.has(f))
  const same = filesOnlyA.length + filesOnlyB.length + tables.length + stages.length + expectations.length === 0
  return { filesOnlyA, filesOnlyB, tables, stages, expectations, compared, same }
}

function compareRecords(file: string, a: RunJson, b: RunJson, tol: Tolerance, stages: StatusChange[], expectations: ExpectationChange[]): void {
  const sa = new Map((a.stages ?? []).map((s) => [s.stage, s]))
  const sb = new Map((b.stages ?? []).map((s) => [s.stage, s]))
  const names = [...sa.keys(), ...[...sb.keys()].filter((n) => !sa.has(n))]
  // A cache hit and a computation give the same results: only outcomes count.
  const outcome = (s?: string) => (s === 'cached' ? 'ran' : s)
  for (const stage of names) {
    const x = sa.get(stage)
    const y = sb.get(stage)
    if (outcome(x?.status) !== outcome(y?.status)) stages.push({ file, stage, a: x?.status, b: y?.status })
    const ea = new Map((x?.expectations ?? []).map(asResult).map((e) => [e.expr, e]))
    const eb = new Map((y?.expectations ?? []).map(asResult).map((e) => [e.expr, e]))
    for (const expr of [...ea.keys(), ...[...eb.keys()].filter((k) => !ea.has(k))]) {
      const p = ea.get(expr)
      const q = eb.get(expr)
      const same = p && q && p.held === q.held && within(String(p.left), String(q.left), tol) && within(String(p.right), String(q.right), tol)
      if (!same) expectations.push({ file, stage, expr, ...(p ? { a: p } : {}), ...(q ? { b: q } : {}) })
    }
  }
}
