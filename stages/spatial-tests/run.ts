/** The spatial-tests stage's work, loaded on demand by stage.ts (docs/methods.md, "Spatial specification tests"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import { QuasiError } from '../../src/errors.ts'
import { gridFiles, type GridTable } from '../../src/report/grid.ts'
import { fixed, stars } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { chisqPValue } from '../../src/stats/dist.ts'
import { invert } from '../../src/stats/spatial/dense.ts'
import { hausman } from '../../src/stats/spatial/hausman.ts'
import { lmTests } from '../../src/stats/spatial/lm-tests.ts'
import { fitSpatial, transform, type SpatialFit } from '../../src/stats/spatial/ml.ts'
import { spectrum } from '../../src/stats/spatial/spectrum.ts'
import { at, candidateName, preparePanel } from '../_spatial/prepare.ts'
import type { SpatialTestsParams } from './params.ts'

interface Row {
  readonly key: string
  readonly label: string
  readonly statistic: number
  readonly df: number
  readonly p: number
}

export async function runSpatialTests(ctx: StageContext<SpatialTestsParams>): Promise<StageResult> {
  const p = ctx.params
  const sp = preparePanel(ctx)
  const { n, t } = sp.layout
  const cands = sp.weights.candidates
  let cand = cands[0]
  if (cands.length > 1) {
    if (p.a === undefined) {
      throw new QuasiError('MISSING_PARAM', `the weights of \`${p.weights}\` offer ${cands.length} candidates; name the one to test with \`a:\``, {
        param: [], expected: 'a', hint: `one of ${cands.map((c) => c.a ?? c.label).join(', ')}; a \`spatial\` stage on the same weights reports the a it chose`,
      })
    }
    const found = cands.find((c) => c.a !== undefined && Math.abs(c.a - p.a!) < 1e-12)
    if (!found) throw new QuasiError('INVALID_VALUE', `a = ${p.a} is not a candidate of \`${p.weights}\``, { param: ['a'], expected: cands.map((c) => c.a ?? c.label).join(', '), found: String(p.a) })
    cand = found
  } else if (p.a !== undefined && cand.a !== p.a) ctx.log.warn(`\`a\` is ignored: the weights of \`${p.weights}\` have one candidate (${candidateName(cand)})`)
  const w = cand.matrix
  const s = spectrum(w)
  const data = { n, t, y: sp.y, x: sp.x, names: sp.names, w, spectrum: s, effects: sp.effects, convention: p.lag_convention ?? 'elhorst' }
  const tr = transform(data)
  const K = sp.names.length

  const rows: Row[] = []
  const lm = lmTests(tr.yd, tr.xd, w, t)
  if (!lm) throw new QuasiError('SINGULAR_DESIGN', 'the regressors are collinear after the fixed effects are removed', { param: ['regressors'] })
  const LM_LABELS = { lm_lag: 'LM lag', rlm_lag: 'Robust LM lag', lm_err: 'LM error', rlm_err: 'Robust LM error' }
  for (const name of ['lm_lag', 'rlm_lag', 'lm_err', 'rlm_err'] as const) {
    const r = lm.find((x) => x.name === name)!
    rows.push({ key: name, label: LM_LABELS[name], statistic: r.statistic, df: 1, p: r.p })
  }

  const fit = (m: 'sar' | 'sem' | 'sdm') => at(['regressors'], () => fitSpatial(m, data, tr))
  const sdm = fit('sdm'), sar = fit('sar'), sem = fit('sem')
  ctx.progress(1, 2)
  const lrSar = 2 * (sdm.logLik - sar.logLik), lrSem = 2 * (sdm.logLik - sem.logLik)
  const [waldSar, waldSem] = waldTests(sdm, K)
  rows.push(
    { key: 'lr_sar', label: 'LR test: SDM against SAR', statistic: lrSar, df: K, p: chisqPValue(lrSar, K) },
    { key: 'lr_sem', label: 'LR test: SDM against SEM', statistic: lrSem, df: K, p: chisqPValue(lrSem, K) },
    { key: 'wald_sar', label: 'Wald test: SDM against SAR', statistic: waldSar, df: K, p: chisqPValue(waldSar, K) },
    { key: 'wald_sem', label: 'Wald test: SDM against SEM', statistic: waldSem, df: K, p: chisqPValue(waldSem, K) },
  )
  if (sp.effects === 'unit' || sp.effects === 'twoways') {
    const h = hausman(sp.y, sp.x, n, t, sp.effects)
    if (h) rows.push({ key: 'hausman', label: 'Hausman test: FE against RE', statistic: h.statistic, df: h.df, p: h.p })
    else ctx.log.warn('the Hausman test could not be computed (a variance component or V_FE − V_RE is singular)')
  } else ctx.log.info('no Hausman test: it compares unit fixed effects with random effects, and the model has no unit effects')
  ctx.progress(2, 2)
  for (const r of rows) ctx.log.info(`${r.label}: ${r.statistic.toPrecision(5)} (df ${r.df}, p = ${r.p.toPrecision(3)})`)

  const digits = p.digits ?? 3
  const grid: GridTable = {
    title: p.title ?? 'Spatial specification tests',
    header: ['Test', 'Statistic', 'df', 'p-value'],
    align: ['l', 'c', 'c', 'c'],
    sections: [
      { label: 'Pooled model with fixed effects', rows: rows.slice(0, 4).map(row(digits)) },
      { label: 'Spatial Durbin model', rows: rows.slice(4, 8).map(row(digits)) },
      ...(rows.length > 8 ? [{ label: 'Fixed against random effects', rows: rows.slice(8).map(row(digits)) }] : []),
    ],
    notes: [
      `Weights: ${sp.weights.description}${cands.length > 1 ? `, ${candidateName(cand)}` : ''}. N = ${n}, T = ${t}. Statistics are χ² with the degrees of freedom shown.`,
      'LM tests on the pooled regression after the fixed effects are removed (Anselin et al. 1996; Elhorst 2014); LR and Wald tests of θ = 0 (SAR) and θ + ρβ = 0 (SEM) in the SDM; Hausman with Swamy–Arora random effects.',
    ],
    stars: true,
  }
  const csv = writeCsv(Frame.from({
    test: rows.map((r) => r.key), label: rows.map((r) => r.label), statistic: Float64Array.from(rows, (r) => r.statistic),
    df: Float64Array.from(rows, (r) => r.df), p: Float64Array.from(rows, (r) => r.p),
  }))
  const facts: Record<string, number> = {}
  for (const r of rows) { facts[r.key] = r.statistic; facts[`p_${r.key}`] = r.p }
  return {
    data: { N: n, T: t, weights: candidateName(cand), tests: rows.map((r) => ({ test: r.key, statistic: r.statistic, df: r.df, p: r.p })) },
    files: { ...gridFiles('tests', grid), 'tests.csv': csv },
    facts,
  }
}

const row = (digits: number) => (r: Row) => ({ cells: [r.label, fixed(r.statistic, digits), String(r.df), fixed(r.p, digits)], stars: ['', stars(r.p), '', ''] })

/**
 * Wald tests in the SDM (Elhorst 2014, §2.8): θ = 0, W = θ′V_θθ⁻¹θ; θ + ρβ = 0 with the
 * delta method, R = θ + ρβ, J = ∂R/∂(β, θ, ρ) = [ρI, I, β], W = R′(JVJ′)⁻¹R. Both χ²(K).
 */
function waldTests(sdm: SpatialFit, K: number): [number, number] {
  const m = sdm.k
  const V = (i: number, j: number) => sdm.vcov[i * m + j]
  const beta = sdm.beta.subarray(0, K), theta = sdm.beta.subarray(K, 2 * K), rho = sdm.rho
  const quad = (r: ArrayLike<number>, S: Float64Array) => {
    const Si = invert(S, K)
    if (!Si) return NaN
    let q = 0
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) q += r[i] * Si[i * K + j] * r[j]
    return q
  }
  const Vtt = new Float64Array(K * K)
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) Vtt[i * K + j] = V(K + i, K + j)
  // J is K × (2K + 1) over (β, θ, ρ)
  const J = (r: number, c: number) => (c < K ? (c === r ? rho : 0) : c < 2 * K ? (c - K === r ? 1 : 0) : beta[r])
  const JVJ = new Float64Array(K * K)
  const P = 2 * K + 1
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) {
    let s = 0
    for (let a = 0; a < P; a++) { const ja = J(i, a); if (ja === 0) continue; for (let b = 0; b < P; b++) { const jb = J(j, b); if (jb !== 0) s += ja * V(a, b) * jb } }
    JVJ[i * K + j] = s
  }
  const R = Float64Array.from(theta, (v, k) => v + rho * beta[k])
  return [quad(theta, Vtt), quad(R, JVJ)]
}
