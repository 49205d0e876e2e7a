/**
 * The mediation kernels: a bootstrap draw by weighted cluster sums equals a re-fit on the
 * resampled panel (against R's lm re-fits of test/fixtures/mediation/make.R, and against the
 * regression kernel on random designs with weights, unbalanced panels and coarser clusters);
 * Sobel/Aroian/Goodman and the intervals; workers change nothing.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { Frame } from '../../../../src/artifacts/frame.ts'
import { factorize, type Factor } from '../../../../src/stats/fe/factor.ts'
import { bootCount, drawCounts, runBootstrap } from '../../../../src/stats/mediation/bootstrap.ts'
import { bootDesign, BootSolver, type MediationData } from '../../../../src/stats/mediation/design.ts'
import { indirectTests } from '../../../../src/stats/mediation/indirect.ts'
import { bootSummary } from '../../../../src/stats/mediation/intervals.ts'
import { regress } from '../../../../src/stats/ols/regress.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import guns from '../../../fixtures/mediation/guns.json' with { type: 'json' }
import { expectClose, readCsvFrame, root } from '../helpers.ts'

const CONTROLS = ['afam', 'cauc', 'male', 'population']
const MEDIATORS = ['lprisoners', 'density', 'lincome'] as const
const frame = readCsvFrame('test/fixtures/mediation/guns.csv')
const all = Int32Array.from({ length: frame.nrows }, (_, i) => i)
const state = factorize(frame.column('state')!)

function data(f: Frame, opts: { mediators: readonly string[]; fe: readonly string[]; cluster: string; weights?: string; controls?: readonly string[]; y?: string; d?: string; rows?: Int32Array[] }): MediationData {
  return {
    y: f.numbers(opts.y ?? 'lviolent'), d: f.numbers(opts.d ?? 'law'),
    mediators: opts.mediators.map((m) => f.numbers(m)),
    controls: (opts.controls ?? CONTROLS).map((c) => f.numbers(c)),
    fixedEffects: opts.fe.map((c) => factorize(f.column(c)!)),
    cluster: factorize(f.column(opts.cluster)!),
    ...(opts.weights ? { weights: f.numbers(opts.weights) } : {}),
    rows: opts.rows ?? opts.mediators.map(() => Int32Array.from({ length: f.nrows }, (_, i) => i)),
  }
}

/** Multiplicities per draw from resamples.csv, in the design's cluster order. */
function replayCounts(clusterCodes: Int32Array): Float64Array[] {
  const labels: string[] = []
  frame.column('state')!.data.forEach((v, i) => { labels[state.codes[i]] = v as string })
  const index = new Map<string, number>()
  clusterCodes.forEach((code, k) => index.set(labels[code], k))
  const byDraw = new Map<number, Float64Array>()
  for (const line of readFileSync(root + 'test/fixtures/mediation/resamples.csv', 'utf8').trim().split('\n').slice(1)) {
    const [d, s] = line.split(',')
    let c = byDraw.get(Number(d))
    if (!c) { c = new Float64Array(clusterCodes.length); byDraw.set(Number(d), c) }
    c[index.get(s)!]++
  }
  return [...byDraw.values()]
}

describe('against R re-fits on resampled AER::Guns', async () => {
  const design = bootDesign(data(frame, { mediators: MEDIATORS, fe: ['state', 'year'], cluster: 'state' }))
  const counts = replayCounts(design.clusterCodes)
  const draws = await runBootstrap(design, { kind: 'replay', counts })
  const M = MEDIATORS.length

  test('one shared design: year dummies re-estimated, state effects absorbed', () => {
    expect(design.clusters).toBe(51)
    expect(design.groups).toHaveLength(1)
    expect(design.groups[0].nc).toBe(CONTROLS.length + 22)
    expect(counts).toHaveLength(guns.draws)
  })

  test('every draw: a and b within 1e-8 of lm on the resampled panel (duplicated states as distinct units)', () => {
    let worst = 0
    MEDIATORS.forEach((m, k) => {
      const boot = guns.mediators[m].boot
      for (let r = 0; r < guns.draws; r++) {
        expectClose(draws.a[r * M + k], boot.a[r], { rel: 1e-8, abs: 1e-10 }, `${m} draw ${r + 1} a`)
        expectClose(draws.b[r * M + k], boot.b[r], { rel: 1e-8, abs: 1e-10 }, `${m} draw ${r + 1} b`)
        worst = Math.max(worst, Math.abs(draws.a[r * M + k] * draws.b[r * M + k] - boot.ab[r]))
      }
    })
    expect(worst).toBeLessThan(1e-10)
  })

  test('every count 1 gives the point estimates of the three steps', () => {
    const out = { a: new Float64Array(M), b: new Float64Array(M), c: new Float64Array(M), direct: new Float64Array(M) }
    new BootSolver(design).solve(new Float64Array(51).fill(1), out, 0)
    MEDIATORS.forEach((m, k) => {
      const g = guns.mediators[m]
      expectClose(out.a[k], g.step2.terms.law.estimate, { rel: 1e-9 }, `${m} a`)
      expectClose(out.b[k], (g.step3.terms as Record<string, { estimate: number }>)[m].estimate, { rel: 1e-9 }, `${m} b`)
      expectClose(out.c[k], g.step1.terms.law.estimate, { rel: 1e-9 }, `${m} c`)
      expectClose(out.direct[k], g.step3.terms.law.estimate, { rel: 1e-9 }, `${m} c'`)
    })
  })

  test('percentile and bias-corrected intervals as R computes them', () => {
    MEDIATORS.forEach((m, k) => {
      const g = guns.mediators[m]
      const ab = Float64Array.from({ length: guns.draws }, (_, r) => draws.a[r * M + k] * draws.b[r * M + k])
      const s = bootSummary(ab, g.indirect, guns.level)
      expectClose(s.percentile.low, g.boot.percentile[0], { rel: 1e-8 }, `${m} percentile low`)
      expectClose(s.percentile.high, g.boot.percentile[1], { rel: 1e-8 }, `${m} percentile high`)
      expectClose(s.z0, g.boot.z0, { rel: 1e-12 }, `${m} z0`)
      expectClose(s.bc.low, g.boot.bc[0], { rel: 1e-8 }, `${m} BC low`)
      expectClose(s.bc.high, g.boot.bc[1], { rel: 1e-8 }, `${m} BC high`)
      expect(s.used).toBe(guns.draws)
    })
  })

  test('Sobel, Aroian and Goodman z and p', () => {
    for (const m of MEDIATORS) {
      const g = guns.mediators[m]
      const a = g.step2.terms.law, b = (g.step3.terms as Record<string, typeof a>)[m]
      const t = indirectTests(a.estimate, a.se_full, b.estimate, b.se_full)
      for (const k of ['sobel', 'aroian', 'goodman'] as const) {
        expectClose(t[k].z, g.tests_full.z[k], { rel: 1e-12 }, `${m} ${k} z`)
        expectClose(t[k].p, g.tests_full.p[k], { rel: 1e-10 }, `${m} ${k} p`)
      }
    }
  })

  test('workers give the same draws as the calling thread', async () => {
    const job = { kind: 'random' as const, draws: 40, rngPath: ['t', 1] }
    const one = await runBootstrap(design, job, { maxThreads: 1 })
    const two = await runBootstrap(design, job, { maxThreads: 2 })
    expect(Array.from(two.a)).toEqual(Array.from(one.a))
    expect(Array.from(two.b)).toEqual(Array.from(one.b))
    expect(bootCount(job)).toBe(40)
  })
})

describe('a draw = the regression kernel on the resampled rows', () => {
  /** An unbalanced panel: units in regions, random gaps, weights, a mediator with its own missing rows. */
  function panel(seed: number): Frame {
    const rng = new Rng(['mediation-test', seed])
    const cols: Record<string, number[] | string[]> = { unit: [], region: [], year: [], x: [], w: [], D: [], m1: [], m2: [], y: [] }
    const push = (k: string, v: number | string) => (cols[k] as (number | string)[]).push(v)
    for (let u = 0; u < 30; u++) {
      const adopt = rng.uniform() < 0.5 ? 2003 + rng.int(4) : Infinity
      for (let t = 0; t < 8; t++) {
        if (rng.uniform() < 0.1) continue
        const D = 2000 + t >= adopt ? 1 : 0, x = rng.normal()
        const m1 = 0.5 * D + 0.3 * x + rng.normal(), m2 = rng.uniform() < 0.1 ? NaN : -0.4 * D + rng.normal()
        push('unit', `u${u}`); push('region', `r${u % 6}`); push('year', 2000 + t); push('x', x); push('w', 0.5 + rng.uniform()); push('D', D)
        push('m1', m1); push('m2', m2); push('y', 0.2 * D + 0.4 * m1 + 0.3 * (Number.isNaN(m2) ? 0 : m2) + 0.1 * t + rng.normal())
      }
    }
    return Frame.from(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, typeof v[0] === 'number' ? Float64Array.from(v as number[]) : v])))
  }

  /** The resampled panel as rows repeated, copies as distinct units. */
  function resample(f: Frame, cluster: Factor, counts: Float64Array, clusterCodes: Int32Array): Frame {
    const pos = new Map<number, number>()
    clusterCodes.forEach((c, k) => pos.set(c, k))
    const idx: number[] = [], copy: string[] = []
    for (let i = 0; i < f.nrows; i++) {
      const k = counts[pos.get(cluster.codes[i])!]
      for (let j = 0; j < k; j++) { idx.push(i); copy.push(`${f.column('unit')!.data[i]}#${j}`) }
    }
    return f.take(Int32Array.from(idx)).withColumn('copy', { type: 'string', data: copy })
  }

  test.each([
    ['cluster = unit', 'unit', undefined],
    ['cluster = region (units nested), weights', 'region', 'w'],
  ])('%s', (_, cluster, weights) => {
    for (const seed of [1, 2]) {
      const f = panel(seed)
      const complete = (m: string) => Int32Array.from([...Array(f.nrows).keys()].filter((i) => !Number.isNaN(f.numbers(m)[i])))
      const md = data(f, { mediators: ['m1', 'm2'], fe: ['unit', 'year'], cluster, controls: ['x'], y: 'y', d: 'D', ...(weights ? { weights } : {}), rows: [complete('m1'), complete('m2')] })
      const design = bootDesign(md)
      expect(design.groups).toHaveLength(2)
      const counts = drawCounts(['seed', seed], 1, design.clusters)
      const out = { a: new Float64Array(2), b: new Float64Array(2), c: new Float64Array(2), direct: new Float64Array(2) }
      new BootSolver(design).solve(counts, out, 0)
      const rs = resample(f, md.cluster, counts, design.clusterCodes)
      const fit = (y: string, regs: string[]) => regress(rs, { outcome: y, regressors: regs, fixedEffects: ['copy', 'year'], singletons: 'keep', ...(weights ? { weights } : {}) })
      ;['m1', 'm2'].forEach((m, k) => {
        const a = fit(m, ['D', 'x']).terms.find((t) => t.term === 'D')!.estimate
        const full = fit('y', ['D', m, 'x'])
        const b = full.terms.find((t) => t.term === m)!.estimate
        // c on the mediator's own sample (its rows with the mediator present), as the stage fits it
        const own = rs.filter(Uint8Array.from(rs.numbers(m), (v) => (Number.isNaN(v) ? 0 : 1)))
        const c = regress(own, { outcome: 'y', regressors: ['D', 'x'], fixedEffects: ['copy', 'year'], singletons: 'keep', ...(weights ? { weights } : {}) }).terms.find((t) => t.term === 'D')!.estimate
        expectClose(out.a[k], a, { rel: 1e-8 }, `seed ${seed} ${m} a`)
        expectClose(out.b[k], b, { rel: 1e-8 }, `seed ${seed} ${m} b`)
        expectClose(out.c[k], c, { rel: 1e-8 }, `seed ${seed} ${m} c`)
        expectClose(out.direct[k], full.terms.find((t) => t.term === 'D')!.estimate, { rel: 1e-8 }, `seed ${seed} ${m} c'`)
      })
    }
  })
})

describe('limits', () => {
  test('a crossed fixed effect with too many levels is a structured kernel error (role fixed_effect)', () => {
    const n = 1200
    const unit = { codes: Int32Array.from({ length: n }, (_, i) => i % 600), levels: 600 }
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i))
    const md: MediationData = {
      y: x, d: Float64Array.from({ length: n }, (_, i) => i % 2), mediators: [x.map(Math.cos)], controls: [], fixedEffects: [unit],
      cluster: { codes: Int32Array.from({ length: n }, (_, i) => i % 7), levels: 7 }, rows: [Int32Array.from({ length: n }, (_, i) => i)],
    }
    let err: unknown
    try { bootDesign(md) } catch (e) { err = e }
    expect(err).toMatchObject({ code: 'INVALID_SPEC', role: { role: 'fixed_effect', index: 0 } })
  })
})

describe('tests and intervals', () => {
  test('Goodman is undefined when its variance is negative; Aroian ≤ Sobel ≤ Goodman in |z|', () => {
    const t = indirectTests(0.01, 1, 0.01, 1)
    expect(Number.isNaN(t.goodman.z)).toBe(true)
    const u = indirectTests(0.5, 0.1, 0.4, 0.1)
    expect(Math.abs(u.aroian.z)).toBeLessThan(Math.abs(u.sobel.z))
    expect(Math.abs(u.sobel.z)).toBeLessThan(Math.abs(u.goodman.z))
    expect(u.sobel.z).toBeCloseTo(0.2 / Math.sqrt(0.16 * 0.01 + 0.25 * 0.01), 12)
  })

  test('BC equals the percentile interval when half the draws are below the estimate; NaN draws are left out', () => {
    const x = Float64Array.from([1, 2, 3, 4, NaN, 5, 6, 7, 8])
    const s = bootSummary(x, 4.5, 0.9)
    expect(s.used).toBe(8)
    expect(s.z0).toBe(0)
    expect(s.bc).toEqual(s.percentile)
    expect(s.percentile.low).toBeCloseTo(1 + 7 * 0.05, 12)
    const all = bootSummary(Float64Array.from([1, 2, 3]), 0, 0.95)
    expect(all.bc).toEqual({ low: 1, high: 1 })
  })
})
