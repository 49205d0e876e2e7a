/**
 * The project every fault test damages: a seeded panel CSV and a pipeline of real stage
 * kinds (ingest → derive → did → did from `model:` → event-study → table), run through the
 * built CLI (bin/quasi.js → dist/, built by vitest's global setup) in separate processes.
 *
 * The invariants the fault tests check after each fault:
 * - every message quasi prints is coded: an error block `error CODE` with a code other than
 *   INTERNAL, no "bug in quasi", no stack trace, nothing Node prints on its own;
 * - the next normal run succeeds (exit 0) and its outputs are byte-identical to those of a
 *   clean reference run (run.json aside: it records wall times).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = fileURLToPath(new URL('../..', import.meta.url))
export const bin = join(repo, 'bin/quasi.js')
export const PIPELINE = 'pipelines/faults.yaml'
export const STAGES = ['panel', 'vars', 'baseline', 'robust', 'dynamics', 'table']

export const PIPELINE_TEXT = `quasi: 1
name: faults
title: The fault-injection study
panel: { unit: unit, time: year }
seed: 11
stages:
  panel:
    uses: ingest
    with: { file: data/panel.csv, types: { unit: string } }
    expect: [ "rows == 600" ]
  vars:
    uses: derive
    with:
      from: panel
      columns:
        ln_size: log(size)
        x_dm: x - mean(x) by unit
      save: true
  baseline:
    uses: did
    with:
      from: vars
      outcome: y
      treatment: { adoption: adopt_year }
      controls: [x, ln_size]
      cluster: unit
      stepwise: true
    expect: [ "coef(did) > 0" ]
  robust:
    uses: did
    with: { model: baseline, controls: [x_dm], vcov: hc1 }
  dynamics:
    uses: event-study
    with: { model: baseline, window: [-3, 3] }
  table:
    uses: table
    with: { columns: [baseline, robust], keep: [did, x], title: "Faults table" }
`

/** 60 units × 10 years; a third adopt in 2014, a third in 2016, a third never; effect 0.8. */
export function panelCsv(): string {
  let s = 20250901
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  const normal = () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u())
  const lines = ['unit,group,year,adopt_year,size,x,y']
  for (let i = 1; i <= 60; i++) {
    const adopt = i % 3 === 0 ? 2014 : i % 3 === 1 ? 2016 : undefined
    const alpha = normal()
    for (let t = 2010; t < 2020; t++) {
      const size = Math.exp(3 + 0.5 * normal())
      const x = normal()
      const d = adopt !== undefined && t >= adopt ? 1 : 0
      const y = alpha + 0.1 * (t - 2010) + 0.5 * x + 0.3 * Math.log(size) + 0.8 * d + 0.5 * normal()
      lines.push(`u${String(i).padStart(2, '0')},${i <= 30 ? 'a' : 'b'},${t},${adopt ?? ''},${size.toFixed(3)},${x.toFixed(4)},${y.toFixed(4)}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** A fresh project folder (pipeline and data, no cache, no outputs). */
export function newProject(prefix = 'quasi-faults-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
  writeFileSync(join(dir, PIPELINE), PIPELINE_TEXT)
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), panelCsv())
  return dir
}

/** A copy of a project folder, cache and outputs included. */
export function copyProject(from: string, prefix = 'quasi-faults-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cpSync(from, dir, { recursive: true })
  return dir
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export const cliEnv = { ...process.env, CI: 'true', NO_COLOR: '1' }

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly out: string
  readonly err: string
}

export interface CliOptions {
  readonly env?: Record<string, string>
  /** Run as this user (root only): root ignores permission bits, so EACCES needs another user. */
  readonly uid?: number
  readonly timeoutMs?: number
}

/** Run the built CLI and wait for it. */
export function quasi(args: readonly string[], cwd: string, opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...cliEnv, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  })
  return { code: r.status, signal: r.signal, out: r.stdout ?? '', err: r.stderr ?? '' }
}

export interface Running {
  readonly child: ChildProcess
  /** Resolves when the n-th JSON event line (1-based) has been printed. */
  readonly events: (n: number) => Promise<void>
  readonly done: Promise<CliResult>
}

/** Start a run with the JSON reporter, so a test can act after a given number of events. */
export function startRun(cwd: string, extra: readonly string[] = [], opts: CliOptions = {}): Running {
  const child = spawn(process.execPath, [bin, 'run', PIPELINE, '--reporter', 'json', ...extra], {
    cwd,
    env: { ...cliEnv, ...opts.env },
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  })
  let out = ''
  let err = ''
  let lines = 0
  const waiters: { n: number; resolve: () => void }[] = []
  const settle = () => {
    for (const w of [...waiters]) if (lines >= w.n) waiters.splice(waiters.indexOf(w), 1), w.resolve()
  }
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString()
    lines = out.split('\n').length - 1
    settle()
  })
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()))
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => {
    lines = Infinity
    settle()
    resolve({ code, signal, out, err })
  }))
  return { child, events: (n) => new Promise<void>((resolve) => (waiters.push({ n, resolve }), settle())), done }
}

/** Every output file but run.json (wall times), by path under outputs/. */
export function outputsOf(dir: string): Map<string, Buffer> {
  const root = join(dir, 'outputs')
  const files = new Map<string, Buffer>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name !== 'run.json') files.set(relative(root, p), readFileSync(p))
    }
  }
  walk(root)
  return files
}

/** How two sets of outputs differ, as lines; empty when byte-identical. */
export function outputDiff(got: Map<string, Buffer>, want: Map<string, Buffer>): string[] {
  const out: string[] = []
  for (const [f, b] of want) {
    const g = got.get(f)
    if (!g) out.push(`missing ${f}`)
    else if (!g.equals(b)) out.push(`differs ${f} (${g.length} bytes, reference ${b.length})`)
  }
  for (const f of got.keys()) if (!want.has(f)) out.push(`extra ${f}`)
  return out
}

const BLOCK = /^(?:.+?:\d+:\d+ {2})?error ([A-Z_]+)(?: {2}stage `[^`]*`(?: \([^)]*\))?)?$/
const STACK = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m

/**
 * Problems with what quasi printed on stderr: an INTERNAL error, "bug in quasi", a stack
 * trace, or text outside a coded error block (Node's own report of an uncaught error, say).
 * Allowed besides error blocks: the count line after several errors and the Ctrl-C notice.
 */
export function uncodedProblems(stderr: string): string[] {
  const problems: string[] = []
  if (/bug in quasi/i.test(stderr)) problems.push('says "bug in quasi"')
  if (STACK.test(stderr)) problems.push('has a stack trace')
  const lines = stderr.split('\n')
  let inBlock = false
  for (const line of lines) {
    if (line === '') {
      inBlock = false
      continue
    }
    const m = BLOCK.exec(line)
    if (m) {
      inBlock = true
      if (m[1] === 'INTERNAL') problems.push('an INTERNAL error')
      continue
    }
    if (inBlock && line.startsWith('  ')) continue
    if (/^\d+ errors$/.test(line) || /^interrupted: /.test(line)) continue
    problems.push(`uncoded text: ${JSON.stringify(line.slice(0, 160))}`)
    break
  }
  return [...new Set(problems)]
}

/** The error codes in stderr, in order. */
export function codesIn(stderr: string): string[] {
  return stderr.split('\n').flatMap((l) => {
    const m = BLOCK.exec(l)
    return m ? [m[1]] : []
  })
}

/** Seeded numbers for fault points (mulberry32): the same points on every run of the suite. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const LONG = process.env.QUASI_FAULTS === 'long'
export const SEED = Number(process.env.QUASI_FAULTS_SEED ?? 20250901)
