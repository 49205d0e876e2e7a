/**
 * From the regression kernel's result to the model artifact (src/artifacts/model.ts) that
 * every estimation stage publishes and tables, plots and cross-model tests read.
 */
import type { Frame } from '../../src/artifacts/frame.ts'
import type { Model, SampleKeys } from '../../src/artifacts/model.ts'
import type { RegressionResult } from '../../src/stats/ols/types.ts'
import { specJson, type EstimationSpec } from './spec.ts'

export interface ModelMeta {
  readonly stage: string
  readonly kind: string
  /** Column label, e.g. "(1)". */
  readonly label: string
  readonly spec: EstimationSpec
  /** The controls of this column (a stepwise column has a prefix of the spec's). */
  readonly controls: readonly string[]
  /** The frame the kernel was given: `result.rows` index it. */
  readonly frame: Frame
  readonly panel?: { readonly unit: string; readonly time: string }
  /** Kind-specific table notes (e.g. how the treatment was built). */
  readonly notes?: readonly string[]
}

export function toModel(r: RegressionResult, m: ModelMeta): Model {
  return {
    label: m.label,
    stage: m.stage,
    kind: m.kind,
    estimator: 'ols',
    outcome: m.spec.outcome,
    ...(m.spec.term !== undefined ? { focus: m.spec.term } : {}),
    terms: r.terms,
    vcov: Array.from(r.vcov),
    nobs: r.nobs,
    dfResidual: r.dfResidual,
    dfT: r.dfT,
    nClusters: [...r.nClusters],
    variance: { type: r.vcovType, smallSample: r.smallSample, cluster: r.vcovType === 'cluster' ? [...m.spec.cluster] : [], label: varianceNote(r, m.spec) },
    fit: { r2: r.r2, adjR2: r.adjR2, withinR2: r.withinR2, logLik: r.logLik, aic: r.aic, bic: r.bic },
    fixedEffects: [...m.spec.fixed_effects],
    controls: [...m.controls],
    sample: sampleKeys(r.rows, m.frame, m.panel),
    ...(m.spec.sample ? { subset: m.spec.sample } : {}),
    spec: specJson(m.spec),
    labels: { ...m.spec.labels },
    ...(m.spec.title ? { title: m.spec.title } : {}),
    ...(m.notes?.length ? { notes: [...m.notes] } : {}),
  }
}

/** The variance convention as a table note prints it. */
export function varianceNote(r: { readonly vcovType: string; readonly smallSample: string }, spec: Pick<EstimationSpec, 'cluster'>): string {
  const k = SMALL_SAMPLE_WORDS[r.smallSample] ?? r.smallSample
  if (r.vcovType === 'cluster') {
    if (r.smallSample === 'cr0' || r.smallSample === 'none') return `Standard errors clustered by ${spec.cluster.join(' and ')} in parentheses (CR0, no finite-sample correction; t with G − 1 degrees of freedom).`
    return `Standard errors clustered by ${spec.cluster.join(' and ')} in parentheses (CR1, ${k}; t with G − 1 degrees of freedom).`
  }
  if (r.vcovType === 'hc1') {
    const hc = r.smallSample === 'cr0' || r.smallSample === 'none' ? 'HC0' : r.smallSample === 'slopes' ? 'HC1, K counting slopes only' : 'HC1'
    return `Heteroskedasticity-robust standard errors (${hc}) in parentheses.`
  }
  return 'Conventional standard errors in parentheses.'
}

const SMALL_SAMPLE_WORDS: Record<string, string> = {
  nested: 'nested small-sample correction',
  full: 'full small-sample correction',
  slopes: 'small-sample correction counting slopes only',
}

function sampleKeys(rows: Int32Array, frame: Frame, panel?: { unit: string; time: string }): SampleKeys {
  const u = panel ? frame.column(panel.unit) : undefined
  const t = panel ? frame.column(panel.time) : undefined
  if (!panel || !u || !t || t.type !== 'number') return { keys: Array.from(rows) }
  const keys = Array.from(rows, (i) => [u.data[i] ?? '', t.data[i]] as [string | number, number])
  return { unit: panel.unit, time: panel.time, keys }
}
