/** The Sun–Abraham event study, loaded on demand by stage.ts (docs/methods.md, "Sun–Abraham event study"). */
import { Frame } from '../../src/artifacts/frame.ts'
import { writeCsv } from '../../src/artifacts/csv.ts'
import type { Model, Term } from '../../src/artifacts/model.ts'
import { QuasiError } from '../../src/errors.ts'
import { coefficientPlot, renderSvg, type CoefPoint } from '../../src/report/figure.ts'
import { fixed } from '../../src/report/table.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { fPValue, tPValue, tQuantile } from '../../src/stats/dist.ts'
import { unitCohorts } from '../../src/stats/sunab/cohorts.ts'
import { interactionWeights } from '../../src/stats/sunab/interact.ts'
import { adoptedIndicator } from '../../src/stats/treatment.ts'
import { fitRegression } from '../_estimation/fit.ts'
import { toModel } from '../_estimation/model.ts'
import { modelFacts, modelTable, tableFiles } from '../_estimation/outputs.ts'
import { applySample } from '../_estimation/prepare.ts'
import { checkWindow, periodLabel } from '../_estimation/relative-time.ts'
import { paramOf, resolveSpec, type Origin } from '../_estimation/spec.ts'
import { solve } from '../_estimation/wald.ts'
import { saturatedDesign } from './design.ts'
import { DEFAULT_TITLE, type SaEventStudyParams } from './params.ts'

export async function runSaEventStudy(ctx: StageContext<SaEventStudyParams>): Promise<StageResult> {
  const p = ctx.params
  checkWindow(p.window, p.reference, [-5, 5])
  const { spec: resolved, origin, frame: input } = resolveSpec(ctx, { needs: 'treatment' })
  const spec = { ...resolved, stepwise: false, term: undefined }
  const treatment = resolved.treatment!
  const panel = ctx.panel
  if (!panel || !input.has(panel.time) || !input.has(panel.unit)) {
    throw new QuasiError('INVALID_SPEC', 'a Sun–Abraham event study needs the panel unit and time columns: declare `panel: { unit, time }` in the pipeline', { param: paramOf(origin, 'treatment') })
  }
  if (spec.weights) {
    throw new QuasiError('INVALID_SPEC', `sa-event-study is unweighted, but the specification has the weights \`${spec.weights}\``, {
      param: paramOf(origin, 'weights'), hint: 'estimate the event study without weights (a `did` stage without `weights:` as `model:`)',
    })
  }
  if (spec.vcov === 'cluster' && spec.cluster.length > 1) {
    throw new QuasiError('INVALID_SPEC', 'sa-event-study clusters one way only', { param: paramOf(origin, 'cluster'), hint: 'cluster by one variable, usually the panel unit' })
  }
  const { frame: sampled } = applySample(ctx, spec, origin, input)
  const time = sampled.numbers(panel.time)
  const treatedPath = typeof treatment === 'string' ? sampled.numbers(treatment) : adoptedIndicator(time, sampled.numbers(treatment.adoption))
  const treatmentName = typeof treatment === 'string' ? treatment : treatment.adoption
  const { cohort, times } = atTreatment(origin, () => unitCohorts({
    unit: sampled.column(panel.unit)!.data as ArrayLike<unknown>, unitName: panel.unit, time, treated: treatedPath, treatmentName,
    ...(typeof treatment === 'string' ? {} : { adoption: sampled.numbers(treatment.adoption) }),
  }))

  // Units per cohort (Infinity: never treated within the panel).
  const unitsOf = cohortUnits(sampled.column(panel.unit)!.data as ArrayLike<unknown>, cohort)
  const finite = [...unitsOf.keys()].filter((g) => g !== Infinity).sort((a, b) => a - b)
  const nNever = unitsOf.get(Infinity) ?? 0
  const keep = new Uint8Array(sampled.nrows).fill(1)
  let treatedCohorts: number[]
  let controlLabel: string
  if (p.control === 'never') {
    if (nNever === 0) {
      throw new QuasiError('INVALID_VALUE', 'no unit is never treated within the panel, so `control: never` has no control cohort', {
        param: ['control'], expected: 'never-treated units (adoption missing or 0, or after the last period)', found: `cohorts ${finite.join(', ')} only`,
        hint: 'write `control: last` to use the last-treated cohort as the control (the periods from its adoption on are dropped)',
      })
    }
    treatedCohorts = finite
    controlLabel = `never-treated units (${nNever})`
  } else {
    if (finite.length < 2) {
      throw new QuasiError('INVALID_VALUE', `\`control: last\` needs at least two treated cohorts, found ${finite.length}`, { param: ['control'], hint: finite.length ? 'write `control: never`' : undefined })
    }
    const last = finite[finite.length - 1]
    let droppedRows = 0
    for (let r = 0; r < keep.length; r++) if (cohort[r] === Infinity || time[r] >= last) { keep[r] = 0; droppedRows++ }
    treatedCohorts = finite.slice(0, -1)
    controlLabel = `the last-treated cohort ${last} (${unitsOf.get(last)} units), periods before ${last}`
    ctx.log.info(`control: last: cohort ${last} is the control; ${droppedRows} rows dropped (periods from ${last} on${nNever ? `, and ${nNever} never-treated units` : ''})`)
  }
  // A cohort without an observation in the reference period (treated from the first period on) cannot be compared.
  const [lo, hi] = p.window
  const atRef = new Set<number>()
  for (let r = 0; r < keep.length; r++) {
    if (keep[r] && cohort[r] !== Infinity && time[r] === time[r] && Math.min(hi, Math.max(lo, time[r] - cohort[r])) === p.reference) atRef.add(cohort[r])
  }
  const noRef = treatedCohorts.filter((g) => !atRef.has(g))
  if (noRef.length) {
    for (const g of noRef) {
      ctx.log.warn(`cohort ${g} (${unitsOf.get(g)} units) has no observation in the reference period ${p.reference}${g <= times[0] ? ' (treated from the first period on)' : ''}: dropped`)
    }
    for (let r = 0; r < keep.length; r++) if (noRef.includes(cohort[r])) keep[r] = 0
    treatedCohorts = treatedCohorts.filter((g) => !noRef.includes(g))
  }
  if (treatedCohorts.length === 0) {
    throw new QuasiError('NO_VARIATION', 'no treated cohort is left to estimate', { param: paramOf(origin, 'treatment') })
  }
  const data = sampled.filter(keep)
  const keptCohort = cohort.filter((_, r) => keep[r])
  const design = saturatedDesign(data, data.numbers(panel.time), keptCohort, treatedCohorts, p.window, p.reference)
  const G = design.cohorts.length
  const empty = design.periods.filter((_, pi) => design.cohorts.every((_, g) => design.counts[pi * G + g] === 0))
  if (empty.length) {
    const observed = observedRange(data.numbers(panel.time), keptCohort, treatedCohorts)
    throw new QuasiError('INVALID_VALUE', `no treated cohort is observed in relative period${empty.length > 1 ? 's' : ''} ${empty.join(', ')} of the window [${lo}, ${hi}]`, {
      param: ['window'], expected: `relative periods the data have (${observed[0]} to ${observed[1]})`,
      hint: `narrow the window, e.g. \`window: [${Math.max(lo, observed[0])}, ${Math.min(hi, observed[1])}]\``,
    })
  }
  const dummies = design.names.filter(Boolean)
  for (const d of dummies) if (sampled.has(d)) ctx.log.warn(`column \`${d}\` of the data is replaced by the cohort × period indicator`)
  ctx.log.info(`cohorts ${design.cohorts.map((g) => `${g} (${unitsOf.get(g)} units)`).join(', ')}; control: ${controlLabel}; ${dummies.length} cohort × period indicators`)

  const result = fitRegression(design.frame, spec, origin, [...dummies, ...spec.controls], { level: p.level })
  for (const m of result.messages) ctx.log.info(m)

  // Cells on the estimation sample, δ̂ and their covariance.
  const rows = result.rows
  const estTime = design.frame.numbers(panel.time)
  const cell = Int32Array.from(rows, (r) => design.cell[r])
  const P = design.periods.length, C = P * G
  const used = new Float64Array(C)
  for (const c of cell) if (c >= 0) used[c]++
  const index = new Map(result.terms.map((t, i) => [t.term, i]))
  const lost = design.names.filter((name, c) => name && used[c] > 0 && !index.has(name))
  if (lost.length) {
    throw new QuasiError('SINGULAR_DESIGN', `cohort × period indicator${lost.length > 1 ? 's' : ''} ${lost.join(', ')} ${lost.length > 1 ? 'are' : 'is'} collinear with the fixed effects${spec.controls.length ? ' and controls' : ''}`, {
      param: paramOf(origin, 'fixed_effects'), hint: 'the saturated regression needs unit and period effects only (and controls that vary within units)',
    })
  }
  const delta = new Float64Array(C).fill(NaN)
  const vcovDelta = new Float64Array(C * C)
  const K = result.terms.length
  for (let a = 0; a < C; a++) {
    const i = index.get(design.names[a])
    if (i === undefined || used[a] === 0) continue
    delta[a] = result.terms[i].estimate
    for (let b = 0; b < C; b++) {
      const j = index.get(design.names[b])
      if (j !== undefined && used[b] > 0) vcovDelta[a * C + b] = result.vcov[i * K + j]
    }
  }
  const cluster = result.vcovType === 'cluster' ? clusterIds(design.frame, spec.cluster[0], rows) : undefined
  const iw = interactionWeights({ periods: P, cohorts: G, cell, cluster, delta, vcovDelta, shareVariance: p.shares === 'estimated' })

  // The weighted estimates as terms, with t tests on the regression's degrees of freedom.
  const dfT = result.dfT
  const crit = tQuantile(1 - (1 - p.level) / 2, dfT)
  const labelsOf = design.periods.map(periodLabel)
  const terms: Term[] = design.periods.map((_, pi) => {
    const est = iw.estimate[pi], se = Math.sqrt(iw.vcov[pi * P + pi])
    return { term: labelsOf[pi], estimate: est, stdError: se, statistic: est / se, pValue: tPValue(est / se, dfT), confLow: est - crit * se, confHigh: est + crit * se }
  })

  const pre = design.periods.map((k, pi) => ({ k, pi })).filter((x) => x.k < 0)
  const pretrend = waldF(iw.estimate, iw.vcov, P, pre.map((x) => x.pi))
  const pretrendP = fPValue(pretrend.f, pretrend.df1, dfT)
  ctx.log.info(`pre-trend test: F(${pretrend.df1}, ${dfT}) = ${fixed(pretrend.f, 3)}, p = ${fixed(pretrendP, 3)} (joint test of ${pre.map((x) => labelsOf[x.pi]).join(', ')})`)

  const labels = spec.labels
  const minus = (k: number) => (k < 0 ? `\u2212${-k}` : String(k))
  const tick = (k: number) => (k === lo ? `≤${minus(k)}` : k === hi ? `≥${minus(k)}` : minus(k))
  const allPeriods: { k: number; label: string; reference: boolean; pi: number }[] = []
  for (let k = lo; k <= hi; k++) allPeriods.push({ k, label: periodLabel(k), reference: k === p.reference, pi: design.periods.indexOf(k) })
  const points: CoefPoint[] = allPeriods.map((x) => {
    const label = labels[x.label] ?? tick(x.k)
    if (x.reference) return { k: x.k, label, estimate: 0, low: 0, high: 0, reference: true }
    const t = terms[x.pi]
    return { k: x.k, label, estimate: t.estimate, low: t.confLow, high: t.confHigh }
  })
  const title = spec.title ?? DEFAULT_TITLE
  const svg = await renderSvg(coefficientPlot(points, {
    title,
    yTitle: p.y_title ?? `Coefficient on ${labels[spec.outcome] ?? spec.outcome} (${Math.round(p.level * 100)} % CI)`,
    xTitle: p.x_title ?? 'Years relative to adoption',
    markAt: 0,
  }))

  const base = toModel(result, {
    stage: ctx.stage, kind: ctx.kind, label: '(1)', spec, controls: spec.controls, frame: design.frame, panel,
    notes: [
      `Interaction-weighted estimates (Sun and Abraham 2021): per relative period, the cohort-share weighted average of the cohort × period coefficients; control: ${controlLabel}.`,
      `Relative periods \`${periodLabel(lo)}\` and \`${periodLabel(hi)}\` bin all earlier and later years within each cohort; \`${periodLabel(p.reference)}\` is the omitted reference period.`,
      p.shares === 'estimated' ? 'Standard errors by the delta method, including the variance of the estimated cohort shares.' : 'Standard errors by the delta method, with the cohort shares treated as known.',
    ],
  })
  const model: Model = { ...base, terms, vcov: Array.from(iw.vcov) }
  const tableBase = modelTable([model], { title, keep: labelsOf, digits: spec.digits })
  const table = { ...tableBase, stats: [...tableBase.stats, { label: `Pre-trend F(${pretrend.df1}, ${dfT})`, values: [`${fixed(pretrend.f, 3)} [p = ${fixed(pretrendP, 3)}]`] }] }

  const cohortRows = design.periods.flatMap((k, pi) => design.cohorts.map((g, gi) => ({ k, pi, g, c: pi * G + gi }))).filter((x) => iw.counts[x.c] > 0)
  const cohortsCsv = writeCsv(Frame.from({
    cohort: Float64Array.from(cohortRows, (x) => x.g),
    period: Float64Array.from(cohortRows, (x) => x.k),
    term: cohortRows.map((x) => labelsOf[x.pi]),
    estimate: Float64Array.from(cohortRows, (x) => delta[x.c]),
    std_error: Float64Array.from(cohortRows, (x) => Math.sqrt(vcovDelta[x.c * C + x.c])),
    nobs: Float64Array.from(cohortRows, (x) => iw.counts[x.c]),
    weight: Float64Array.from(cohortRows, (x) => iw.weights[x.c]),
  }))

  const periodIndex = (k: number) => design.periods.indexOf(k)
  const treatedObs = (pi: number) => {
    if (pi < 0) return refObs
    let s = 0
    for (let g = 0; g < G; g++) s += iw.counts[pi * G + g]
    return s
  }
  let refObs = 0
  for (const r of rows) {
    const c = keptCohort[r]
    if (c !== Infinity && design.cohorts.includes(c) && Math.min(hi, Math.max(lo, estTime[r] - c)) === p.reference) refObs++
  }
  const facts: Record<string, number> = { ...modelFacts(model), pretrend_F: pretrend.f, pretrend_p: pretrendP, pretrend_df: pretrend.df1, cohorts: G }
  const periodsOut = allPeriods.map((x) => {
    if (x.reference) return { k: x.k, label: x.label, reference: true, estimate: 0, std_error: null, low: 0, high: 0 }
    const t = terms[x.pi]
    return { k: x.k, label: x.label, reference: false, estimate: num(t.estimate), std_error: num(t.stdError), low: num(t.confLow), high: num(t.confHigh) }
  })
  return {
    model: { models: [model], main: 0 },
    data: {
      estimator: 'sun-abraham',
      window: [lo, hi],
      reference: p.reference,
      control: p.control,
      shares: p.shares,
      nobs: result.nobs,
      cohorts: design.cohorts.map((g) => ({ cohort: g, units: unitsOf.get(g) ?? 0 })),
      pretrend: { f: num(pretrend.f), df1: pretrend.df1, df2: dfT, p: num(pretrendP), terms: pre.map((x) => labelsOf[x.pi]) },
      // treated_obs: the treated cohorts' estimation-sample observations in the (binned) period, as in event-study's data.
      periods: periodsOut.map(({ low: _l, high: _h, ...rest }) => ({ ...rest, treated_obs: treatedObs(periodIndex(rest.k)) })),
      event_study: {
        level: p.level,
        band: 'pointwise',
        periods: periodsOut.map((x) => ({ k: x.k, estimate: x.estimate, std_error: x.std_error, low: x.low, high: x.high, reference: x.reference })),
      },
    },
    files: { ...tableFiles(table, [model]), 'cohorts.csv': cohortsCsv, 'event_study.svg': svg },
    facts,
  }
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null)

/** F = ν′V⁻¹ν / q over the given periods (finite estimates only). */
function waldF(est: Float64Array, v: Float64Array, P: number, idx: readonly number[]): { f: number; df1: number } {
  const k = idx.filter((i) => Number.isFinite(est[i]))
  if (k.length === 0) return { f: NaN, df1: 0 }
  const b = k.map((i) => est[i])
  const x = solve(k.map((i) => k.map((j) => v[i * P + j])), b)
  return { f: b.reduce((s, bi, i) => s + bi * x[i], 0) / k.length, df1: k.length }
}

function cohortUnits(unit: ArrayLike<unknown>, cohort: Float64Array): Map<number, number> {
  const seen = new Set<string>()
  const out = new Map<number, number>()
  for (let r = 0; r < cohort.length; r++) {
    const u = String(unit[r])
    if (seen.has(u)) continue
    seen.add(u)
    out.set(cohort[r], (out.get(cohort[r]) ?? 0) + 1)
  }
  return out
}

function observedRange(time: Float64Array, cohort: Float64Array, treated: readonly number[]): [number, number] {
  const set = new Set(treated)
  let a = Infinity, b = -Infinity
  for (let r = 0; r < time.length; r++) {
    if (!set.has(cohort[r]) || time[r] !== time[r]) continue
    const e = time[r] - cohort[r]
    if (e < a) a = e
    if (e > b) b = e
  }
  return [a, b]
}

/** Cluster index (first-appearance order) of each estimation row. */
function clusterIds(frame: Frame, name: string, rows: Int32Array): Int32Array {
  const col = frame.column(name)
  if (!col) throw new QuasiError('MISSING_COLUMN', `the cluster variable \`${name}\` is not a column of the data`, { param: ['cluster'] })
  const map = new Map<string, number>()
  return Int32Array.from(rows, (r) => {
    const key = String(col.data[r])
    let i = map.get(key)
    if (i === undefined) { i = map.size; map.set(key, i) }
    return i
  })
}

/** Kernel errors about the treatment path belong to `treatment:` (or `model:` when inherited). */
function atTreatment<T>(origin: Origin, f: () => T): T {
  try {
    return f()
  } catch (err) {
    if (err instanceof QuasiError && err.param === undefined) err.param = paramOf(origin, 'treatment')
    throw err
  }
}
