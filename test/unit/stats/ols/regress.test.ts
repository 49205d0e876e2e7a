/** The kernel's user-facing behaviour: what is dropped and reported, and the errors users can cause. */
import { describe, expect, test } from 'vitest'
import { Frame } from '../../../../src/artifacts/frame.ts'
import { QuasiError } from '../../../../src/errors.ts'
import { regress, term } from '../../../../src/stats/ols/regress.ts'
import { Rng } from '../../../../src/stats/rng.ts'
import { expectClose } from '../helpers.ts'

function panel(units = 40, years = 6, seed = 'regress') {
  const rng = new Rng([seed])
  const n = units * years
  const unit = Array.from({ length: n }, (_, i) => `u${Math.floor(i / years)}`)
  const year = Float64Array.from({ length: n }, (_, i) => 2000 + (i % years))
  const x = Float64Array.from({ length: n }, () => rng.normal())
  const z = Float64Array.from({ length: n }, () => rng.normal())
  const y = Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * x[i] - 0.2 * z[i] + Math.floor(i / years) * 0.1 + rng.normal())
  const region = unit.map((u) => `r${Number(u.slice(1)) % 5}`)
  const constant = new Float64Array(n).fill(1)
  return Frame.from({ unit, year, x, z, y, region, const: constant, label: unit })
}

function quasiError(fn: () => unknown): QuasiError {
  try { fn() } catch (e) { if (e instanceof QuasiError) return e; throw e }
  throw new Error('expected a QuasiError')
}

describe('errors users can cause', () => {
  const f = panel()
  test('a missing outcome column, with a suggestion', () => {
    const e = quasiError(() => regress(f, { outcome: 'yy', regressors: ['x'] }))
    expect(e.code).toBe('MISSING_COLUMN')
    expect(e.message).toContain('outcome `yy` is not a column')
    expect(e.message).toContain('did you mean `y`?')
  })
  test('a text column as a regressor', () => {
    const e = quasiError(() => regress(f, { outcome: 'y', regressors: ['label'] }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toBe('regressor `label` is not numeric')
  })
  test('a cluster variable with one level', () => {
    const e = quasiError(() => regress(f, { outcome: 'y', regressors: ['x'], cluster: ['const'] }))
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.message).toContain('cluster variable `const` has 1 level')
  })
  test('every regressor collinear with the fixed effects', () => {
    const e = quasiError(() => regress(f, { outcome: 'y', regressors: ['const'], fixedEffects: ['unit'] }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.message).toContain('`const`')
  })
  test('no residual degrees of freedom', () => {
    const tiny = f.take([0, 1, 2])
    const e = quasiError(() => regress(tiny, { outcome: 'y', regressors: ['x', 'z'] }))
    expect(e.code).toBe('SINGULAR_DESIGN')
    expect(e.message).toContain('3 observations for 3 parameters')
  })
  test('a negative weight', () => {
    const w = new Float64Array(f.nrows).fill(1)
    w[7] = -1
    const e = quasiError(() => regress(f.withColumn('w', { type: 'number', data: w }), { outcome: 'y', regressors: ['x'], weights: 'w' }))
    expect(e.code).toBe('BAD_DATA')
    expect(e.message).toContain('row 8')
  })
  test('clustered variance without a cluster variable', () => {
    expect(quasiError(() => regress(f, { outcome: 'y', regressors: ['x'], vcov: 'cluster' })).code).toBe('INVALID_SPEC')
  })
})

describe('every kernel error says which part of the model failed (QuasiError.role), in words without stage parameters', () => {
  const f = panel()
  const w = new Float64Array(f.nrows).fill(1)
  w[2] = -1
  const g = f.withColumn('w', { type: 'number', data: w })
  test.each([
    ['missing outcome', () => regress(f, { outcome: 'yy', regressors: ['x'] }), 'MISSING_COLUMN', { role: 'outcome', column: 'yy' }],
    ['missing regressor', () => regress(f, { outcome: 'y', regressors: ['x', 'zz'] }), 'MISSING_COLUMN', { role: 'regressor', column: 'zz', index: 1 }],
    ['text regressor', () => regress(f, { outcome: 'y', regressors: ['label'] }), 'BAD_DATA', { role: 'regressor', column: 'label', index: 0 }],
    ['missing weights', () => regress(f, { outcome: 'y', regressors: ['x'], weights: 'ww' }), 'MISSING_COLUMN', { role: 'weights', column: 'ww' }],
    ['text weights', () => regress(f, { outcome: 'y', regressors: ['x'], weights: 'label' }), 'BAD_DATA', { role: 'weights', column: 'label' }],
    ['negative weight', () => regress(g, { outcome: 'y', regressors: ['x'], weights: 'w' }), 'BAD_DATA', { role: 'weights', column: 'w' }],
    ['missing fixed effect', () => regress(f, { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'yr'] }), 'MISSING_COLUMN', { role: 'fixed_effect', column: 'yr', index: 1 }],
    ['missing cluster', () => regress(f, { outcome: 'y', regressors: ['x'], cluster: ['unti'] }), 'MISSING_COLUMN', { role: 'cluster', column: 'unti', index: 0 }],
    ['one cluster', () => regress(f, { outcome: 'y', regressors: ['x'], cluster: ['const'] }), 'INVALID_SPEC', { role: 'cluster', column: 'const', index: 0 }],
    ['three clusters', () => regress(f, { outcome: 'y', regressors: ['x'], cluster: ['unit', 'year', 'region'] }), 'INVALID_SPEC', { role: 'cluster', column: 'region', index: 2 }],
    ['no cluster', () => regress(f, { outcome: 'y', regressors: ['x'], vcov: 'cluster' }), 'INVALID_SPEC', { role: 'cluster' }],
    ['collinear', () => regress(f, { outcome: 'y', regressors: ['const'], fixedEffects: ['unit'] }), 'SINGULAR_DESIGN', { role: 'regressor', column: 'const', index: 0 }],
    ['no df', () => regress(f.take([0, 1, 2]), { outcome: 'y', regressors: ['x', 'z'] }), 'SINGULAR_DESIGN', { role: 'design' }],
    ['no regressors', () => regress(f, { outcome: 'y', regressors: [], intercept: false }), 'INVALID_SPEC', { role: 'design' }],
    ['no rows', () => regress(f.withColumn('y', { type: 'number', data: new Float64Array(f.nrows).fill(NaN) }), { outcome: 'y', regressors: ['x'] }), 'NO_VARIATION', { role: 'design' }],
    ['missing interaction part', () => regress(f, { outcome: 'y', regressors: ['x', 'x:zz'] }), 'MISSING_COLUMN', { role: 'regressor', column: 'x:zz', index: 1 }],
  ] as const)('%s', (_label, fn, code, role) => {
    const e = quasiError(fn)
    expect(e.code).toBe(code)
    expect(e.role).toEqual(role)
    for (const text of [e.message, e.hint ?? '']) expect(text, 'no stage parameter named').not.toMatch(/`[a-z_]+:`|`vcov: |derive stage/)
  })
})

describe('the small-sample conventions', () => {
  const f = panel()
  const fit = (smallSample: 'nested' | 'full' | 'slopes' | 'cr0' | 'none', vcov: 'iid' | 'hc1' | 'cluster', fe = ['unit', 'year']) =>
    regress(f, { outcome: 'y', regressors: ['x', 'z'], fixedEffects: fe, cluster: vcov === 'cluster' ? ['unit'] : [], vcov, smallSample })
  test('slopes: K is the number of kept regressors, for iid, hc1 and cluster alike', () => {
    for (const v of ['iid', 'hc1', 'cluster'] as const) expect(fit('slopes', v).vcovK, v).toBe(2)
  })
  test('slopes vs cr0: the factors RSS/(N − K), N/(N − K) and G/(G − 1)(N − 1)/(N − K), K = 2', () => {
    const n = f.nrows, G = 40, K = 2
    const ratio = (a: ReturnType<typeof fit>, b: ReturnType<typeof fit>) => term(a, 'x')!.stdError ** 2 / term(b, 'x')!.stdError ** 2
    expectClose(ratio(fit('slopes', 'iid'), fit('cr0', 'iid')), n / (n - K), { rel: 1e-12 }, 'iid')
    expectClose(ratio(fit('slopes', 'hc1'), fit('cr0', 'hc1')), n / (n - K), { rel: 1e-12 }, 'hc1')
    expectClose(ratio(fit('slopes', 'cluster'), fit('cr0', 'cluster')), (G / (G - 1)) * ((n - 1) / (n - K)), { rel: 1e-12 }, 'cluster')
  })
  test('the t degrees of freedom do not depend on the convention', () => {
    for (const v of ['iid', 'hc1', 'cluster'] as const) {
      const df = new Set((['nested', 'full', 'slopes', 'cr0'] as const).map((s) => fit(s, v).dfT))
      expect(df.size, v).toBe(1)
    }
  })
  test('without fixed effects, slopes = full = nested: K counts the intercept', () => {
    const a = fit('slopes', 'hc1', []), b = fit('full', 'hc1', [])
    expect(a.vcovK).toBe(3)
    expect(Array.from(a.vcov)).toEqual(Array.from(b.vcov))
  })
  test('`none` is the deprecated name of `cr0`', () => {
    const a = fit('none', 'cluster'), b = fit('cr0', 'cluster')
    expect(a.smallSample).toBe('cr0')
    expect(a.vcovK).toBeNaN()
    expect(Array.from(a.vcov)).toEqual(Array.from(b.vcov))
  })
})

describe('reporting', () => {
  test('missing values drop rows and say how many', () => {
    const f = panel()
    const x = f.numbers('x').slice()
    x[3] = NaN
    x[10] = Infinity
    const res = regress(f.withColumn('x', { type: 'number', data: x }), { outcome: 'y', regressors: ['x'], fixedEffects: ['unit'] })
    expect(res.nobs).toBe(f.nrows - 2)
    expect(res.droppedMissing).toBe(2)
    expect(res.messages[0]).toBe(`2 of ${f.nrows} rows dropped for a missing or non-finite value`)
    expect(Array.from(res.rows).includes(3)).toBe(false)
  })
  test('a collinear regressor is named and the rest estimated as without it', () => {
    const f = panel()
    const x2 = f.numbers('x').map((v) => 2 * v)
    const g = f.withColumn('x2', { type: 'number', data: x2 })
    const a = regress(g, { outcome: 'y', regressors: ['x', 'x2', 'z'], fixedEffects: ['unit', 'year'], cluster: ['unit'] })
    const b = regress(g, { outcome: 'y', regressors: ['x', 'z'], fixedEffects: ['unit', 'year'], cluster: ['unit'] })
    expect(a.collinear).toEqual(['x2'])
    expect(a.messages.some((m) => m.includes('dropped as collinear') && m.includes('`x2`'))).toBe(true)
    expectClose(term(a, 'z')!.stdError, term(b, 'z')!.stdError, { rel: 1e-12 }, 'z se')
  })
  test('nested detection: unit effects inside region clusters leave K = regressors + 1', () => {
    const res = regress(panel(), { outcome: 'y', regressors: ['x', 'z'], fixedEffects: ['unit'], cluster: ['region'] })
    expect(res.fixedEffects).toEqual([{ name: 'unit', levels: 40, nested: true }])
    expect(res.kNested).toBe(3)
    expect(res.kFull).toBe(42)
    expect(res.messages.some((m) => m.includes('only 5 clusters'))).toBe(true)
  })
  test('weights equal to one change nothing', () => {
    const f = panel()
    const g = f.withColumn('w', { type: 'number', data: new Float64Array(f.nrows).fill(1) })
    const a = regress(g, { outcome: 'y', regressors: ['x', 'z'], fixedEffects: ['unit', 'year'], cluster: ['unit'], weights: 'w' })
    const b = regress(g, { outcome: 'y', regressors: ['x', 'z'], fixedEffects: ['unit', 'year'], cluster: ['unit'] })
    for (const t of ['x', 'z']) {
      expectClose(term(a, t)!.estimate, term(b, t)!.estimate, { rel: 1e-12 }, `${t} coef`)
      expectClose(term(a, t)!.stdError, term(b, t)!.stdError, { rel: 1e-12 }, `${t} se`)
    }
  })
  test('fixed effects only: no terms, R² from the effects', () => {
    const res = regress(panel(), { outcome: 'y', regressors: [], fixedEffects: ['unit'] })
    expect(res.terms).toEqual([])
    expect(res.r2).toBeGreaterThan(0)
    expect(res.fStat).toBeNaN()
  })
  test('confidence intervals use the t quantile with the reported df', () => {
    const res = regress(panel(), { outcome: 'y', regressors: ['x'], fixedEffects: ['unit', 'year'], cluster: ['unit'] })
    const t = term(res, 'x')!
    expect(res.dfT).toBe(39)
    // qt(0.975, 39) in R 4.2.2
    expectClose(t.confHigh - t.estimate, 2.0226909200367604 * t.stdError, { rel: 1e-12 }, 'ci half-width')
  })
})
