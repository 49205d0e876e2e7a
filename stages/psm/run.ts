/** The psm stage's work, loaded on demand by stage.ts (see docs/methods.md, "psm"). */
import type { Frame } from '../../src/artifacts/frame.ts'
import { QuasiError } from '../../src/errors.ts'
import type { StageContext, StageResult } from '../../src/stage.ts'
import { attAbadieImbens, type AttResult } from '../../src/stats/psm/att.ts'
import { balanceRow } from '../../src/stats/psm/balance.ts'
import { fitBinary } from '../../src/stats/psm/logit.ts'
import { match, matchWeights, offSupport, type Caliper, type Matches } from '../../src/stats/psm/match.ts'
import { psmFiles } from './outputs.ts'
import { DEFAULT_BANDWIDTH, type PsmParams } from './params.ts'
import { prepare, type Group } from './prepare.ts'

export interface GroupResult {
  readonly group: Group
  readonly ps: Float64Array
  readonly lp: Float64Array
  readonly treated: Uint8Array
  readonly coef: Float64Array
}

export async function runPsm(ctx: StageContext<PsmParams>): Promise<StageResult> {
  const p = ctx.params
  const frame = ctx.input(p.from).frame
  if (!frame) throw new QuasiError('INVALID_VALUE', `stage \`${p.from}\` has no table to match on`, { param: ['from'] })
  const prep = prepare(frame, p)
  if (prep.droppedMissing) ctx.log.info(`${prep.droppedMissing} of ${frame.nrows} rows left out for a missing treatment, covariate${p.outcome ? ', outcome' : ''}${p.by ? ` or \`${p.by}\`` : ''}`)
  if (prep.sampleSize === 0) {
    throw new QuasiError('NO_VARIATION', `no row has the treatment, every covariate${p.outcome ? ', the outcome' : ''}${p.by ? ` and \`${p.by}\`` : ''} present (${frame.nrows} rows)`, {
      param: ['covariates'], hint: 'check the covariates for columns that are missing everywhere',
    })
  }
  const n = frame.nrows
  const k = p.neighbors ?? 1
  const skipped: string[] = []
  const opts = { method: p.method, k, replace: p.replace ?? false, bandwidth: p.bandwidth ?? DEFAULT_BANDWIDTH }

  const pscore = new Float64Array(n).fill(NaN)
  const support = new Float64Array(n).fill(NaN)
  const offCommon = new Uint8Array(n)
  const fits: GroupResult[] = []
  const parts: Matches[] = []
  let counted = { treated: 0, controls: 0 }
  prep.groups.forEach((g, gi) => {
    const where = g.key === null ? '' : ` in \`${p.by}\` = ${g.key}`
    const tr = Uint8Array.from(g.rows, (i) => prep.treated[i])
    const nT = tr.reduce((s, v) => s + v, 0), nC = tr.length - nT
    counted = { treated: counted.treated + nT, controls: counted.controls + nC }
    if (nT === 0 || nC === 0) {
      if (g.key === null) {
        throw new QuasiError('NO_VARIATION', `the treatment has ${nT === 0 ? 'no treated' : 'no control'} rows in the sample (${g.rows.length} rows)`, {
          param: ['treatment'], hint: typeof p.treatment === 'object' ? `check the adoption years in \`${p.treatment.adoption}\`` : 'matching needs both treated and control rows',
        })
      }
      skipped.push(`${g.key} (no ${nT === 0 ? 'treated' : 'control'} rows)`)
      for (const i of g.rows) support[i] = prep.treated[i] ? 0 : 1
      return
    }
    const fit = fitGroup(p, prep.covariates, g, tr, where)
    g.rows.forEach((i, m) => { pscore[i] = fit.p[m]; support[i] = 1 })
    const active = p.common ? offSupport(fit.p, tr).map((v) => 1 - v) : undefined
    if (active) g.rows.forEach((i, m) => { if (!active[m]) { offCommon[i] = 1; support[i] = 0 } })
    const caliper = caliperOf(p, fit.eta)
    const m = match({ ps: fit.p, lp: fit.eta, treated: tr, ...(active ? { active } : {}) }, { ...opts, caliper }, ctx.signal)
    // The matcher stops early when cancelled; its partial matches must not become a result.
    if (ctx.signal.aborted) throw new QuasiError('CANCELLED', 'cancelled')
    parts.push({ t: m.t.map((j) => g.rows[j]), c: m.c.map((j) => g.rows[j]), distance: m.distance, w: m.w })
    fits.push({ group: g, ps: fit.p, lp: fit.eta, treated: tr, coef: fit.coef })
    ctx.progress(gi + 1, prep.groups.length)
  })
  if (skipped.length) {
    ctx.log.warn(`nothing to match in ${skipped.length} of ${prep.groups.length} groups of \`${p.by}\`: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}`)
  }
  if (fits.length === 0) {
    throw new QuasiError('NO_VARIATION', `no group of \`${p.by}\` has both treated and control rows (${prep.groups.length} groups)`, {
      param: ['by'], hint: '`by` should be a column with a few values shared by treated and control rows, such as the year',
    })
  }
  const matches = concat(parts)
  if (matches.t.length === 0) {
    throw new QuasiError('NO_MATCH', `no treated row has a control to match${p.common ? ' on common support' : ''}${p.caliper !== undefined ? ' within the caliper' : p.method === 'kernel' ? ' within the bandwidth' : ''}`, {
      param: p.caliper !== undefined ? ['caliper'] : p.method === 'kernel' ? ['bandwidth'] : p.common ? ['common'] : ['covariates'],
      hint: p.caliper !== undefined ? 'widen the caliper' : p.method === 'kernel' ? 'widen the bandwidth' : 'the treated and control scores do not overlap',
    })
  }
  const weight = matchWeights(matches, n)
  for (let i = 0; i < n; i++) if (prep.inSample[i] && prep.treated[i] && weight[i] === 0) support[i] = 0

  const sampleRows = Int32Array.from(prep.groups.flatMap((g) => [...g.rows])).sort()
  const balance = p.covariates.map((c, j) => balanceRow(c, prep.covariates[j], prep.treated, sampleRows, weight))
  let att: AttResult | undefined
  if (p.outcome !== undefined) {
    att = attAbadieImbens(matches, frame.numbers(p.outcome), fits.map((f) => ({ rows: f.group.rows, ps: f.ps, treated: f.treated })))
  }

  const matchedTreated = new Set(matches.t).size, matchedControls = new Set(matches.c).size
  let droppedSupport = 0
  for (let i = 0; i < n; i++) droppedSupport += offCommon[i]
  ctx.log.info(`${counted.treated} treated and ${counted.controls} control rows${prep.groups.length > 1 ? ` in ${prep.groups.length} groups of \`${p.by}\`` : ''}; matched ${matchedTreated} treated to ${matchedControls} controls${droppedSupport ? `; ${droppedSupport} treated off common support` : ''}`)
  if (att) ctx.log.info(`ATT on ${p.outcome}: ${att.att.toPrecision(6)} (Abadie–Imbens se ${att.se.toPrecision(4)})`)

  const treatedCol = Float64Array.from(prep.treated, (v, i) => (prep.inSample[i] || typeof p.treatment === 'object' ? v : NaN))
  let out: Frame = frame
    .withColumn('_pscore', { type: 'number', data: pscore })
    .withColumn('_weight', { type: 'number', data: weight })
    .withColumn('_support', { type: 'number', data: support })
    .withColumn('_treated', { type: 'number', data: treatedCol })
  if (p.keep === 'matched') out = out.filter(weight.map((w) => (w > 0 ? 1 : 0)))

  const facts: Record<string, number> = {
    treated: counted.treated, controls: counted.controls, matched_treated: matchedTreated, matched_controls: matchedControls,
    dropped_support: droppedSupport,
    max_abs_bias_before: Math.max(...balance.map((b) => Math.abs(b.biasBefore))),
    max_abs_bias_after: Math.max(...balance.map((b) => Math.abs(b.biasAfter))),
  }
  for (const b of balance) { facts[`bias_before(${b.covariate})`] = b.biasBefore; facts[`bias_after(${b.covariate})`] = b.biasAfter }
  if (att) { facts.att = att.att; facts.se_att = att.se }

  const files = await psmFiles({ ctx, frame, matches, balance, att, pscore, weight, treated: prep.treated, inSample: prep.inSample })
  return {
    frame: out,
    data: {
      link: p.link, method: p.method, groups: fits.map((f) => ({ group: f.group.key, coefficients: ['(Intercept)', ...p.covariates].map((name, j) => ({ name, estimate: f.coef[j] })) })),
      treated: counted.treated, controls: counted.controls, matched_treated: matchedTreated, matched_controls: matchedControls,
    },
    files,
    facts,
  }
}

function fitGroup(p: PsmParams, covariates: readonly Float64Array[], g: Group, tr: Uint8Array, where: string) {
  const y = Float64Array.from(tr)
  const x = covariates.map((c) => Float64Array.from(g.rows, (i) => c[i]))
  try {
    return fitBinary(y, x, p.covariates, p.link)
  } catch (err) {
    if (!(err instanceof QuasiError)) throw err
    const idx = err.role?.index
    return rethrow(err, idx !== undefined ? ['covariates', idx] : ['covariates'], where)
  }
}

function rethrow(err: QuasiError, param: (string | number)[], where: string): never {
  throw new QuasiError(err.code, where ? `${err.message}${where}` : err.message, { param, expected: err.expected, found: err.found, hint: err.hint, role: err.role, cause: err })
}

/** The caliper as a half-width on the score, or on the linear predictor (x SDs of it over the group's rows). */
function caliperOf(p: PsmParams, eta: Float64Array): Caliper | null {
  if (p.caliper === undefined) return null
  if (typeof p.caliper === 'number') return { scale: 'ps', width: p.caliper }
  let m = 0
  for (const v of eta) m += v
  m /= eta.length
  let ss = 0
  for (const v of eta) ss += (v - m) ** 2
  return { scale: 'lp', width: p.caliper.sd * Math.sqrt(ss / (eta.length - 1)) }
}

function concat(parts: readonly Matches[]): Matches {
  const len = parts.reduce((s, m) => s + m.t.length, 0)
  const out = { t: new Int32Array(len), c: new Int32Array(len), distance: new Float64Array(len), w: new Float64Array(len) }
  let at = 0
  for (const m of parts) {
    out.t.set(m.t, at); out.c.set(m.c, at); out.distance.set(m.distance, at); out.w.set(m.w, at)
    at += m.t.length
  }
  return out
}
