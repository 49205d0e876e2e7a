/**
 * The slurm suite's helpers: the built CLI in a child process (jobs run the same build on the
 * node), a throwaway project with the bundled data, and byte-for-byte comparison of outputs.
 * The suite needs a running cluster (test/slurm/start.sh); it fails, never skips, without one.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(REPO, 'bin', 'quasi.js')

/** Why the cluster cannot take jobs, or undefined when it can. */
export function clusterProblem(): string | undefined {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' })
  if (r.error) return `sinfo cannot run (${r.error.message}): install slurm-wlm and munge, then run test/slurm/start.sh`
  if (!/idle|mixed|allocated/.test(r.stdout)) return `no node takes jobs (sinfo: ${r.stdout.trim() || r.stderr.trim()}); run test/slurm/start.sh`
  return undefined
}

export interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  out: string
  err: string
}

/** `quasi args…` in `cwd`; `onStart` gets the child (to kill it). */
export function quasi(args: string[], cwd: string, onStart?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    if (child.pid !== undefined) onStart?.(child.pid)
    child.on('close', (code, signal) => resolve({ code, signal, out, err }))
  })
}

/** A project folder with the repository's pipelines/ (and data), `files` added, and a profile `cluster`. */
export function project(files: Record<string, string> = {}, profile = DEFAULT_PROFILE): string {
  const dir = mkdtempSync(join(process.env.QUASI_SLURM_TMP ?? '/tmp', 'quasi-slurm-'))
  cpSync(join(REPO, 'pipelines'), join(dir, 'pipelines'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
  writeFileSync(join(dir, 'quasi.profile.yaml'), profile)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

export const DEFAULT_PROFILE = `profiles:
  cluster:
    executor: slurm
    poll_seconds: 0.5
    defaults: { time: "00:30:00", memory: 2G, cpus: 1 }
`

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(relative(dir, p))
    }
  }
  if (existsSync(dir)) walk(dir)
  return out.sort()
}

/**
 * run.json with its timing fields blanked: each stage's `ms` (wall time), the only bytes that
 * may differ between two runs of the same pipeline, wherever the stages ran.
 */
export function withoutTimings(text: string): string {
  return text.replace(/"ms": \d+/g, '"ms": 0')
}

/**
 * run.json as the results it records: timings blanked and a cache hit read as a computation
 * (`status` and `cached`), for a run that took some stages from the cache (after a fault)
 * compared with one that computed all. Keys, output digests and files are still compared.
 */
export function resultsOnly(text: string): string {
  return withoutTimings(text).replace(/"status": "cached"/g, '"status": "ran"').replace(/"cached": true/g, '"cached": false')
}

/** Files that differ between two outputs folders (run.json compared without timings, or by `runJson`). */
export function differences(a: string, b: string, runJson: (text: string) => string = withoutTimings): string[] {
  const fa = filesUnder(a)
  const fb = filesUnder(b)
  const diffs: string[] = []
  for (const f of new Set([...fa, ...fb])) {
    if (!fa.includes(f) || !fb.includes(f)) {
      diffs.push(`${f}: only in ${fa.includes(f) ? 'the first' : 'the second'}`)
      continue
    }
    let x = readFileSync(join(a, f))
    let y = readFileSync(join(b, f))
    if (f.endsWith('run.json')) {
      x = Buffer.from(runJson(x.toString('utf8')))
      y = Buffer.from(runJson(y.toString('utf8')))
    }
    if (!x.equals(y)) diffs.push(f)
  }
  return diffs
}

/** Cache entries whose bytes do not match their digest, and manifests that do not parse. */
export function corruptCacheEntries(cache: string): string[] {
  const bad: string[] = []
  for (const f of filesUnder(join(cache, 'blobs'))) {
    const name = f.split('/').pop()!
    if (name.endsWith('.tmp')) continue
    const digest = createHash('sha256').update(readFileSync(join(cache, 'blobs', f))).digest('hex')
    if (digest !== name) bad.push(`blobs/${f}`)
  }
  for (const f of filesUnder(join(cache, 'stages'))) {
    if (f.endsWith('.tmp')) continue
    try {
      JSON.parse(readFileSync(join(cache, 'stages', f), 'utf8'))
    } catch {
      bad.push(`stages/${f}`)
    }
  }
  return bad
}

export interface SqueueRow {
  id: string
  name: string
  state: string
}

/** squeue rows (all states) whose job name contains `name`. */
export function jobsNamed(name: string): SqueueRow[] {
  const r = spawnSync('squeue', ['-h', '-r', '-t', 'all', '-o', '%i|%j|%T'], { encoding: 'utf8' })
  return r.stdout
    .split('\n')
    .map((l) => l.split('|'))
    .filter((p) => p.length === 3 && p[1].includes(name))
    .map(([id, n, state]) => ({ id, name: n, state }))
}

/** Wait until `f` returns a value (polling every 250 ms), or fail after `ms`. */
export async function until<T>(what: string, f: () => T | undefined, ms = 120_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = f()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
