import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import { predict } from '../../../src/scheduler/predict.ts'
import { planOf, runIn, tempProject } from '../../helpers/pipeline.ts'
import { leased, ran, testRegistry } from './stages.ts'

const chain = (k = 1, note?: string) => `quasi: 1
name: chain
seed: 7
stages:
  src: { uses: source, with: { value: 10 } }
  a:   { uses: add, with: { from: src, k: ${k}${note ? `, note: ${note}` : ''} } }
  b:   { uses: add, with: { from: a, k: 100 } }
  c:   { uses: add, with: { from: src, k: 5 } }
`

beforeEach(() => {
  ran.length = 0
})

describe('scheduler', () => {
  test('runs in dependency order, then takes everything from the cache', async () => {
    const root = tempProject()
    const plan = planOf(root, chain(), testRegistry)
    const first = await runIn(root, plan)
    expect(first.exitStatus).toBe(0)
    expect(ran.indexOf('src')).toBeLessThan(ran.indexOf('a'))
    expect(ran.indexOf('a')).toBeLessThan(ran.indexOf('b'))
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'src'])
    const table = readFileSync(join(root, 'outputs/chain/b/table.md'), 'utf8')
    expect(table).toContain('| 111 |')

    ran.length = 0
    const second = await runIn(root, plan)
    expect(ran).toEqual([])
    expect(second.events.of('stage:cached').map((e) => e.stage).sort()).toEqual(['a', 'b', 'c', 'src'])
    expect(readFileSync(join(root, 'outputs/chain/b/table.md'), 'utf8')).toBe(table)
  })

  test('a changed parameter re-runs exactly that stage and its downstream, as status predicted', async () => {
    const root = tempProject()
    await runIn(root, planOf(root, chain(1), testRegistry))
    const changed = planOf(root, chain(2), testRegistry)
    const preds = await predict(changed, { quasiDir: join(root, '.quasi') })
    const stale = preds.filter((p) => !p.fresh).map((p) => p.stage)
    expect(stale).toEqual(['a', 'b'])
    expect(preds.find((p) => p.stage === 'a')!.reasons).toEqual([{ kind: 'param', path: 'k', from: 1, to: 2 }])
    expect(preds.find((p) => p.stage === 'b')!.reasons).toEqual([{ kind: 'upstream', stage: 'a' }])

    ran.length = 0
    const r = await runIn(root, changed)
    expect(ran.sort()).toEqual(stale)
    expect(r.events.of('stage:start').find((e) => e.stage === 'a')!.reasons).toEqual([{ kind: 'param', path: 'k', from: 1, to: 2 }])
  })

  test('a re-run that produces the same bytes leaves its downstream fresh', async () => {
    const root = tempProject()
    await runIn(root, planOf(root, chain(1), testRegistry))
    ran.length = 0
    const r = await runIn(root, planOf(root, chain(1, 'reworded'), testRegistry))
    expect(ran).toEqual(['a'])
    expect(r.events.of('stage:done')[0]).toMatchObject({ stage: 'a', unchanged: true })
    expect(r.events.of('stage:cached').map((e) => e.stage).sort()).toEqual(['b', 'c', 'src'])
  })

  test('fail-fast cancels running siblings and skips downstream; exit status of the error', async () => {
    const root = tempProject()
    const plan = planOf(root, `quasi: 1
name: ff
stages:
  boom: { uses: fail }
  long: { uses: slow, with: { ms: 2000 } }
  after: { uses: slow, with: { from: boom, ms: 10 } }
`, testRegistry)
    const t0 = Date.now()
    const r = await runIn(root, plan)
    expect(Date.now() - t0).toBeLessThan(1500)
    expect(r.exitStatus).toBe(1)
    expect(r.errors.map((e) => [e.code, e.stage])).toEqual([['SINGULAR_DESIGN', 'boom']])
    expect(r.errors[0].pos).toMatchObject({ file: 'pipelines/p.yaml', line: 4, col: 3 })
    expect(r.records.find((x) => x.stage === 'long')!.status).toBe('cancelled')
    expect(r.records.find((x) => x.stage === 'after')!.status).toBe('skipped')
    expect(ran).not.toContain('long:end')
  })

  test('--keep-going finishes the branches that do not depend on the failure', async () => {
    const root = tempProject()
    const plan = planOf(root, `quasi: 1
name: kg
stages:
  boom: { uses: fail }
  long: { uses: slow, with: { ms: 100 } }
  after: { uses: slow, with: { from: boom, ms: 10 } }
  next: { uses: slow, with: { from: long, ms: 10 } }
`, testRegistry)
    const r = await runIn(root, plan, { keepGoing: true })
    expect(r.exitStatus).toBe(1)
    expect(Object.fromEntries(r.records.map((x) => [x.stage, x.status]))).toEqual({ boom: 'failed', long: 'ran', after: 'skipped', next: 'ran' })
  })

  test('independent stages run concurrently up to jobs', async () => {
    const root = tempProject()
    const yaml = `quasi: 1
name: par
stages:
  p: { uses: slow, with: { ms: 150 } }
  q: { uses: slow, with: { ms: 150 } }
`
    await runIn(root, planOf(root, yaml, testRegistry), { jobs: 2 })
    expect(ran.slice(0, 2).sort()).toEqual(['p:start', 'q:start'])
    ran.length = 0
    await runIn(root, planOf(root, yaml, testRegistry), { jobs: 1, force: true })
    expect(ran).toEqual(['p:start', 'p:end', 'q:start', 'q:end'])
  })

  test('stages running at once share the --threads budget; ctx.jobs is still --jobs', async () => {
    const root = tempProject()
    const yaml = `quasi: 1
name: thr
stages:
  t1: { uses: threaded, with: { want: 3 } }
  t2: { uses: threaded, with: { want: 3 } }
  t3: { uses: threaded, with: { want: 3 } }
`
    Object.assign(leased, { now: 0, max: 0, counts: [], jobs: [] })
    const r = await runIn(root, planOf(root, yaml, testRegistry), { jobs: 3, threads: 4 })
    expect(r.exitStatus).toBe(0)
    expect(leased.max).toBeLessThanOrEqual(4)
    expect(leased.counts).toHaveLength(3)
    expect(leased.counts[0]).toBe(3) // the first takes what it asks for; the others what is left, or wait
    expect(leased.jobs).toEqual([3, 3, 3])
    expect(r.events.of('run:start')[0]).toMatchObject({ jobs: 3, threads: 4 })
  })

  test('--only, --from and --force select stages', async () => {
    const root = tempProject()
    const plan = planOf(root, chain(), testRegistry)
    await runIn(root, plan, { only: ['a'] })
    expect(ran.sort()).toEqual(['a', 'src'])
    ran.length = 0
    const r = await runIn(root, plan, { from: ['a'] })
    expect(r.records.map((x) => x.stage)).toEqual(['src', 'a', 'b'])
    expect(ran).toEqual(['b'])
    ran.length = 0
    await runIn(root, plan, { force: ['c'] })
    expect(ran).toEqual(['c'])
    await expect(runIn(root, plan, { only: ['x'] })).rejects.toMatchObject({ code: 'USAGE' })
  })

  test('Ctrl-C (the abort signal) cancels cleanly: exit 130, lock released, cache intact', async () => {
    const root = tempProject()
    const yaml = `quasi: 1
name: cc
stages:
  fast: { uses: source, with: { value: 1 } }
  long: { uses: slow, with: { ms: 3000 } }
`
    const ac = new AbortController()
    // Interrupt once `fast` is done and `long` is running, however loaded the machine is.
    const seen = new Set<string>()
    const r = await runIn(root, planOf(root, yaml, testRegistry), {
      signal: ac.signal,
      emit: (e) => {
        if ((e.type === 'stage:done' && e.stage === 'fast') || (e.type === 'stage:start' && e.stage === 'long')) seen.add(e.type)
        if (seen.size === 2 && !ac.signal.aborted) setTimeout(() => ac.abort(), 20)
      },
    })
    expect(r.exitStatus).toBe(130)
    expect(readdirSync(join(root, '.quasi/locks/cc'))).toEqual(['free'])
    ran.length = 0
    const again = await runIn(root, planOf(root, yaml.replace('3000', '30'), testRegistry))
    expect(again.exitStatus).toBe(0)
    expect(ran).toEqual(['long:start', 'long:end'])
  })

  test('a corrupt blob or manifest is a miss, recomputed with a warning', async () => {
    const root = tempProject()
    const plan = planOf(root, chain(), testRegistry)
    await runIn(root, plan)
    const blobs = join(root, '.quasi/cache/blobs')
    const sub = readdirSync(blobs)[0]
    const f = join(blobs, sub, readdirSync(join(blobs, sub))[0])
    const bytes = readFileSync(f)
    bytes[bytes.length - 1] ^= 0xff
    writeFileSync(f, bytes)
    const manifests = join(root, '.quasi/cache/stages')
    const victims = readdirSync(manifests)
    writeFileSync(join(manifests, victims[victims.length - 1]), '{"format": 1, "key": "trunc')
    ran.length = 0
    const r = await runIn(root, plan)
    expect(r.exitStatus).toBe(0)
    const warnings = r.events.of('warning').map((w) => w.message)
    expect(warnings.some((w) => /corrupt cache (blob|manifest)/.test(w))).toBe(true)
    expect(ran.length).toBeGreaterThanOrEqual(1)
    ran.length = 0
    await runIn(root, plan)
    expect(ran).toEqual([])
  })

  test('random stages depend on the seed and their name, not on jobs or order', async () => {
    const root = tempProject()
    const yaml = (seed: number) => `quasi: 1
name: rnd
seed: ${seed}
stages:
  r1: { uses: rand, with: { n: 4 } }
  r2: { uses: rand, with: { n: 4 } }
`
    await runIn(root, planOf(root, yaml(1), testRegistry), { jobs: 1 })
    const r1 = readFileSync(join(root, 'outputs/rnd/run.json'), 'utf8')
    await runIn(root, planOf(root, yaml(1), testRegistry), { jobs: 2, force: true })
    const outputs = (s: string) => (JSON.parse(s) as { stages: { output: string }[] }).stages.map((x) => x.output)
    expect(outputs(readFileSync(join(root, 'outputs/rnd/run.json'), 'utf8'))).toEqual(outputs(r1))
    expect(outputs(r1)[0]).not.toBe(outputs(r1)[1])
    ran.length = 0
    const preds = await predict(planOf(root, yaml(2), testRegistry), { quasiDir: join(root, '.quasi') })
    expect(preds.map((p) => p.reasons)).toEqual([[{ kind: 'seed' }], [{ kind: 'seed' }]])
  })

  test('expectations: a failed one gives exit 3, an unknown fact exit 2', async () => {
    const root = tempProject()
    const yaml = (line: string) => `quasi: 1
name: ex
stages:
  src: { uses: source, with: { value: 10 }, expect: [ "${line}" ] }
`
    expect((await runIn(root, planOf(root, yaml('value == 10'), testRegistry))).exitStatus).toBe(0)
    const failed = await runIn(root, planOf(root, yaml('value < 5'), testRegistry))
    expect(failed.exitStatus).toBe(3)
    expect(failed.events.of('stage:expect')[0]).toMatchObject({ holds: false, left: 10, right: 5 })
    const unknown = await runIn(root, planOf(root, yaml('valu < 5'), testRegistry))
    expect(unknown.exitStatus).toBe(2)
    expect(unknown.errors[0].message).toContain('did you mean `value`?')
    expect(unknown.errors[0].pos).toMatchObject({ line: 4 })
  })

  test('save: true writes data.csv; files a stage stops making are removed', async () => {
    const root = tempProject()
    await runIn(root, planOf(root, chain().replace('{ value: 10 }', '{ value: 10, save: true }'), testRegistry))
    expect(readFileSync(join(root, 'outputs/chain/src/data.csv'), 'utf8')).toBe('v\n10\n10\n10\n')
    ran.length = 0
    await runIn(root, planOf(root, chain(), testRegistry))
    expect(ran).toEqual([]) // `save` is not part of the key
    expect(existsSync(join(root, 'outputs/chain/src/data.csv'))).toBe(false)
  })
})
