/**
 * The run lock under contention: 8 runs of one pipeline started together with `--wait 0`,
 * repeated. Exactly one may compute each time; the others stop with LOCKED or, when they
 * reach the lock after it has finished, take every stage from the cache.
 *
 * `npm test` runs 10 repetitions on a small panel. `npm run stress:lock` runs 200 on a larger
 * one; QUASI_LOCK_REPS, QUASI_LOCK_ROWS and QUASI_LOCK_RUNS change the numbers, and QUASI_BIN
 * runs another build (an older commit's bin/quasi.js) to compare.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = process.env.QUASI_BIN ?? join(repo, 'bin/quasi.js')
const reps = Number(process.env.QUASI_LOCK_REPS ?? 10)
const rows = Number(process.env.QUASI_LOCK_ROWS ?? 2000)
const runs = Number(process.env.QUASI_LOCK_RUNS ?? 8)
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-lock-stress-'))
  mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n')
  const units = Math.max(1, Math.round(rows / 10))
  const lines = ['unit,year,y,x']
  for (let u = 0; u < units; u++) for (let t = 0; t < 10; t++) lines.push(`u${u},${2000 + t},${(u * 7 + t * 3) % 101},${(u + t) % 13}`)
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), lines.join('\n') + '\n')
  writeFileSync(join(dir, 'pipelines/p.yaml'), `quasi: 1
name: p
panel: { unit: unit, time: year }
stages:
  panel: { uses: ingest, with: { file: data/panel.csv } }
  vars: { uses: derive, with: { from: panel, columns: { z: "y * x + 1", w: "log(y + 1)" } } }
`)
  return dir
}

type Outcome = 'computed' | 'locked' | 'cached' | 'other'

function runOnce(dir: string): Promise<{ outcome: Outcome; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', 'pipelines/p.yaml', '--reporter', 'json', '--wait', '0'], { cwd: dir, env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()))
    child.on('close', (code) => {
      const done = out.split('\n').find((l) => l.includes('"type":"run:done"'))
      const ran = done ? (JSON.parse(done) as { ran: number }).ran : undefined
      if (code === 0 && ran !== undefined) resolve({ outcome: ran > 0 ? 'computed' : 'cached', detail: '' })
      else if (err.includes('error LOCKED')) resolve({ outcome: 'locked', detail: '' })
      else resolve({ outcome: 'other', detail: `exit ${code}: ${err.slice(0, 400)}` })
    })
  })
}

test(`${runs} runs of one pipeline started together: exactly one computes (${reps} repetitions)`, async () => {
  const dir = project()
  const computing: number[] = []
  const others: string[] = []
  const tally: Record<Outcome, number> = { computed: 0, locked: 0, cached: 0, other: 0 }
  for (let i = 0; i < reps; i++) {
    // Every other repetition starts without .quasi/ at all, so the runs also race to create it.
    rmSync(join(dir, i % 2 === 0 ? '.quasi' : '.quasi/cache'), { recursive: true, force: true })
    rmSync(join(dir, 'outputs'), { recursive: true, force: true })
    const results = await Promise.all(Array.from({ length: runs }, () => runOnce(dir)))
    for (const r of results) {
      tally[r.outcome]++
      if (r.outcome === 'other') others.push(r.detail)
    }
    computing.push(results.filter((r) => r.outcome === 'computed').length)
    if (computing[i] > 1) console.log(`repetition ${i + 1}: ${computing[i]} runs computed at once`)
  }
  const overlapping = computing.filter((n) => n > 1)
  console.log(
    `lock stress (${bin}): ${reps} repetitions of ${runs} runs, ${rows} rows; ` +
      `repetitions where more than one run computed: ${overlapping.length} (computing at once: ${overlapping.join(', ') || '-'}); ` +
      `outcomes: ${JSON.stringify(tally)}`,
  )
  rmSync(dir, { recursive: true, force: true })
  expect(others).toEqual([])
  expect(overlapping).toEqual([])
  expect(computing.every((n) => n === 1)).toBe(true)
}, Math.max(120_000, reps * 20_000))
