/**
 * The built CLI as a user runs it, in separate processes: cached re-runs, status
 * predictions, `kill -9` in the middle of a stage, and two runs of one pipeline at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { tokenName } from '../../src/cache/lock.ts'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(repo, 'bin/quasi.js')
const env = { ...process.env, CI: 'true', NO_COLOR: '1' }

function quasi(args: string[], cwd: string) {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - t0 }
}

/** A seeded panel of 20 cities × 10 years with gaps, and a city attribute table. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-e2e-'))
  mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
  let s = 12345
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648)
  const rows = ['city,year,gdp,patents']
  for (let c = 0; c < 20; c++) {
    for (let y = 2010; y < 2020; y++) {
      const gap = rnd() < 0.1 && y > 2010 && y < 2019
      rows.push(`c${c},${y},${gap ? '' : (10 + c + rnd()).toFixed(3)},${rnd() < 0.05 ? 'NA' : Math.round(100 * rnd())}`)
    }
  }
  writeFileSync(join(dir, 'pipelines/data/panel.csv'), rows.join('\n') + '\n')
  const attrs = ['city,region'].concat(Array.from({ length: 20 }, (_, c) => `c${c},${['east', 'central', 'west'][c % 3]}`))
  writeFileSync(join(dir, 'pipelines/data/attrs.csv'), attrs.join('\n') + '\n')
  cpSync(join(repo, 'test/e2e/good/ten-stages.yaml'), join(dir, 'pipelines/ten.yaml'))
  return dir
}

describe('quasi run, end to end', () => {
  test('ten stages run; a second run is all cache hits; one changed parameter re-runs what status predicted', () => {
    const dir = project()
    const first = quasi(['run', 'pipelines/ten.yaml'], dir)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toContain('10 ran, 0 cached')
    const data = readFileSync(join(dir, 'outputs/ten/final/data.csv'), 'utf8')
    expect(data.split('\n')[0]).toBe('city,year,gdp')

    const second = quasi(['run', 'pipelines/ten.yaml'], dir)
    expect(second.code).toBe(0)
    expect(second.out).toContain('0 ran, 10 cached')
    expect(readFileSync(join(dir, 'outputs/ten/final/data.csv'), 'utf8')).toBe(data)
    const run = JSON.parse(readFileSync(join(dir, 'outputs/ten/run.json'), 'utf8')) as { stages: { stage: string; cached: boolean }[] }
    expect(run.stages.every((s) => s.cached)).toBe(true)

    const yaml = readFileSync(join(dir, 'pipelines/ten.yaml'), 'utf8').replace('method: locf, columns: [gdp, patents]', 'method: locf, columns: [gdp]')
    writeFileSync(join(dir, 'pipelines/ten.yaml'), yaml)
    const status = quasi(['status', 'pipelines/ten.yaml'], dir)
    expect(status.code).toBe(0)
    const stale = status.out.split('\n').filter((l) => l.includes('stale')).map((l) => l.split(/\s+/)[0])
    expect(stale).toEqual(['locf', 'nocb'])
    expect(status.out).toMatch(/locf\s+impute\s+stale: param `columns` changed from \["gdp","patents"\] to \["gdp"\]/)
    expect(status.out).toMatch(/nocb\s+impute\s+stale: input `locf` will be recomputed/)

    const third = quasi(['run', 'pipelines/ten.yaml'], dir)
    expect(third.code).toBe(0)
    const ranNow = third.out.split('\n').filter((l) => l.includes('✔')).map((l) => l.trim().split(/\s+/)[1])
    expect(ranNow).toEqual(stale)
  })

  test('dag, validate and dry-run describe the pipeline without running it', () => {
    const dir = project()
    const dag = quasi(['dag', 'pipelines/ten.yaml', '--format', 'mermaid'], dir)
    expect(dag.code).toBe(0)
    expect(dag.out).toContain('flowchart TD')
    expect(dag.out).toContain('panel --> joined')
    expect(quasi(['validate', 'pipelines/ten.yaml'], dir).out).toContain('ok (10 stages)')
    const dry = quasi(['run', 'pipelines/ten.yaml', '--dry-run'], dir)
    expect(dry.out).toContain('10 of 10 stages would run')
    expect(readdirSync(dir)).not.toContain('outputs')
  })
})

/** A pipeline whose single stage reads a large file, so a test can catch it mid-stage. */
function bigProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quasi-big-'))
  mkdirSync(join(dir, 'pipelines/data'), { recursive: true })
  const lines = ['unit,year,a,b,c,d,e,f']
  for (let u = 0; u < 20000; u++) for (let y = 0; y < 10; y++) lines.push(`u${u},${2000 + y},${u * 0.5},${y * 1.25},${u + y},1.5,2.5,${u % 7}`)
  writeFileSync(join(dir, 'pipelines/data/big.csv'), lines.join('\n') + '\n')
  writeFileSync(join(dir, 'pipelines/big.yaml'), `quasi: 1
name: big
panel: { unit: unit, time: year }
stages:
  small: { uses: ingest, with: { file: data/big.csv, select: [unit, year] } }
  big: { uses: ingest, with: { file: data/big.csv } }
`)
  return dir
}

/** Start a run with the JSON reporter; resolves when `event` is seen for `stage`. */
function startRun(dir: string, extra: string[] = []): { child: ChildProcess; seen: (type: string, stage?: string) => Promise<void>; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [bin, 'run', 'pipelines/big.yaml', '--reporter', 'json', '--jobs', '1', ...extra], { cwd: dir, env })
  let out = ''
  let err = ''
  const waiters: { type: string; stage?: string; resolve: () => void }[] = []
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString()
    for (const w of [...waiters]) {
      if (out.split('\n').some((l) => l.includes(`"type":"${w.type}"`) && (!w.stage || l.includes(`"stage":"${w.stage}"`)))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()))
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })))
  const seen = (type: string, stage?: string) => new Promise<void>((resolve) => waiters.push({ type, stage, resolve }))
  return { child, seen, done }
}

describe('crashes and concurrent runs', () => {
  test('kill -9 in the middle of a stage leaves the cache usable; the next run completes', async () => {
    const dir = bigProject()
    const run = startRun(dir)
    await run.seen('stage:start', 'big')
    run.child.kill('SIGKILL')
    const killed = await run.done
    expect(killed.code).toBe(null)
    const next = quasi(['run', 'pipelines/big.yaml'], dir)
    expect(next.err).toBe('')
    expect(next.code).toBe(0)
    expect(next.out).toMatch(/small\s+cached/)
    expect(next.out).toMatch(/(✔|◆) big/) // normally re-run; cached only if the kill came after the stage finished
    expect(quasi(['run', 'pipelines/big.yaml'], dir).out).toContain('0 ran, 2 cached')
  })

  test('a second run of the same pipeline stops with a clear message, or waits with --wait', async () => {
    const dir = bigProject()
    // Another run holds the lock: a live process (this one) named in the lock file.
    const lock = join(dir, '.quasi/locks/big', tokenName(process.pid, new Date('2026-01-01T00:00:00.000Z')))
    mkdirSync(join(dir, '.quasi/locks/big'), { recursive: true })
    writeFileSync(lock, '')
    const b = quasi(['run', 'pipelines/big.yaml'], dir)
    expect(b.code).toBe(1)
    expect(b.err).toContain('error LOCKED')
    expect(b.err).toContain(`pipeline \`big\` is being run by another quasi process (pid ${process.pid}`)
    expect(b.err).toContain('--wait')
    const c = startRun(dir, ['--wait', '60'])
    await c.seen('warning')
    renameSync(lock, join(dir, '.quasi/locks/big/free'))
    const rc = await c.done
    expect(rc.code).toBe(0)
    expect(rc.out).toContain('"type":"warning","message":"waiting for another run')
    expect(rc.out).toContain('"ran":2,"cached":0')
  })

  test('two runs of one pipeline started together both finish and leave a consistent cache', async () => {
    const dir = bigProject()
    const [ra, rb] = await Promise.all([startRun(dir, ['--wait', '60']).done, startRun(dir, ['--wait', '60']).done])
    expect([ra.code, rb.code]).toEqual([0, 0])
    // One computed both stages; the other waited for its lock (or came after it) and took both from the cache.
    const summary = (o: string) => (o.includes('"ran":2,"cached":0') ? 'ran' : o.includes('"ran":0,"cached":2') ? 'cached' : 'other')
    expect([summary(ra.out), summary(rb.out)].sort()).toEqual(['cached', 'ran'])
    expect(quasi(['run', 'pipelines/big.yaml'], dir).out).toContain('0 ran, 2 cached')
  })
})

describe('the default pipeline', () => {
  test('runs on the bundled data, and a second run from an empty cache with other --jobs and --threads gives byte-identical outputs', () => {
    const outputs = (dir: string) => {
      const files: Record<string, string> = {}
      for (const f of readdirSync(join(dir, 'outputs'), { recursive: true }) as string[]) {
        if (f.endsWith('run.json') || !f.includes('.')) continue
        files[f] = readFileSync(join(dir, 'outputs', f), 'utf8')
      }
      return files
    }
    const runs = ['1', '2'].map((jobs) => {
      const dir = mkdtempSync(join(tmpdir(), 'quasi-default-'))
      cpSync(join(repo, 'pipelines'), join(dir, 'pipelines'), { recursive: true })
      const r = quasi(['run', 'pipelines/cluster-gie.yaml', '--jobs', jobs, '--threads', jobs], dir)
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      return outputs(dir)
    })
    expect(Object.keys(runs[0]).length).toBeGreaterThan(40)
    expect(runs[0]['cluster-gie/dynamics/event_study.svg']).toMatch(/^<svg/)
    expect(runs[1]).toEqual(runs[0])
  }, 180_000) // two cold runs of the whole default study (about 24 stages, a DEA among them)

  test('the second bundled study runs with every expectation holding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quasi-gti-'))
    cpSync(join(repo, 'pipelines'), join(dir, 'pipelines'), { recursive: true })
    const r = quasi(['run', 'pipelines/cluster-gti.yaml'], dir)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).not.toContain('FAILED')
    for (const f of ['by_region/table.md', 'channels/table.md', 'ee_channel/indirect.csv', 'matched/balance.md', 'placebo/density.svg']) {
      expect(readFileSync(join(dir, 'outputs', 'cluster-gti', f), 'utf8').length).toBeGreaterThan(100)
    }
  }, 180_000)
})
